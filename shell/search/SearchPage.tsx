import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { SearchHit } from '@dbt-workbench/plugin-sdk/contracts/catalog.schema';
import { searchCatalog } from '../../shared/http/catalog.ts';
import { callApi } from '../api/client.ts';
import { useCatalogFreshness } from '../catalog/api.ts';
import { ArtifactErrorBanner } from '../catalog/ArtifactErrorBanner.tsx';
import { TypeBadge } from '../catalog/badges.tsx';
import { nodePath, typeCount } from '../catalog/format.ts';
import { useDebounced } from '../catalog/use-debounced.ts';
import { useWorkspace } from '../workspaces/workspace-context.tsx';
import { searchBoxId, searchShortcutKeys } from './search-shortcut.ts';
import './search.css';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

const LIMIT = 50;

/** The catalog's best hits for `q` (none while `q` is empty), shared by this page and the command palette. */
export function useCatalogSearch(workspace: string, q: string) {
  return useQuery({
    queryKey: ['workspaces', workspace, 'catalog', 'search', q],
    queryFn: () => callApi(searchCatalog, { params: { workspace }, query: { q, limit: LIMIT } }),
    enabled: q.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

/** What matched, in words: `column customer_id`, `tag pii`, `description`. */
export function matchLabel(hit: Pick<SearchHit, 'matchedField' | 'matchedText'>): string {
  switch (hit.matchedField) {
    case 'name':
      return 'name';
    case 'column':
      return hit.matchedText ? `column ${hit.matchedText}` : 'a column name';
    case 'columnDescription':
      return hit.matchedText ? `description of column ${hit.matchedText}` : 'a column description';
    case 'tags':
      return hit.matchedText ? `tag ${hit.matchedText}` : 'a tag';
    case 'description':
      return 'description';
    default:
      return 'text';
  }
}

function typeCounts(hits: SearchHit[]): string {
  const counts = new Map<string, number>();
  for (const hit of hits) counts.set(hit.resourceType, (counts.get(hit.resourceType) ?? 0) + 1);
  return [...counts].map(([type, n]) => typeCount(n, type)).join(' · ');
}

/** `search`: catalog search as you type; arrows move through the hits, Enter opens one. */
export function SearchPage() {
  const workspace = useWorkspace();
  const status = useCatalogFreshness(workspace.name);
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  const q = useDebounced(text.trim(), 150);
  const search = useCatalogSearch(workspace.name, q);
  const [active, setActive] = useState(0);
  const listId = useId();

  useEffect(() => {
    setActive(0);
    if ((params.get('q') ?? '') !== q) setParams(q ? { q } : {}, { replace: true });
  }, [q]);

  const hits = q ? (search.data?.hits ?? []) : [];
  const target = (hit: SearchHit | undefined) =>
    hit?.uniqueId ? nodePath(workspace.name, hit.resourceType, hit.uniqueId) : null;

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setActive((i) => Math.min(i + 1, hits.length - 1));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((i) => Math.max(i - 1, 0));
    } else if (event.key === 'Enter') {
      const to = target(hits[active]);
      if (to) navigate(to);
    } else if (event.key === 'Escape') {
      setText('');
    }
  };

  useEffect(() => {
    document.getElementById(`${listId}-${active}`)?.scrollIntoView({ block: 'nearest' });
  }, [active, listId]);

  return (
    <div className="wb-page wb-search" data-testid="search-page">
      <header className="wb-page-header">
        <h1>Search</h1>
        <p className="wb-muted">Names, columns, descriptions and tags of every model, source, seed and more.</p>
      </header>
      <ArtifactErrorBanner status={status} />
      <div className="wb-search-box">
        <input
          type="search"
          id={searchBoxId}
          className="wb-search-input"
          value={text}
          autoFocus
          placeholder="Search the catalog, e.g. customer_id or orders"
          aria-label="Search the catalog"
          aria-keyshortcuts={searchShortcutKeys}
          role="combobox"
          aria-expanded={hits.length > 0}
          aria-controls={listId}
          aria-activedescendant={hits.length > 0 ? `${listId}-${active}` : undefined}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
        />
        {!text && (
          <span className="wb-search-keys" data-testid="search-shortcut-hint">
            <kbd>/</kbd> here, <kbd>{isMac ? '⌘' : 'Ctrl'}</kbd> <kbd>K</kbd> for commands too
          </span>
        )}
      </div>
      {!q && <p className="wb-muted">Type to search. Use ↑ and ↓ to pick a result and Enter to open it.</p>}
      {q && search.isPending && <div className="wb-loading">Searching…</div>}
      {q && search.isError && (
        <div className="wb-plugin-error" role="alert">
          The search failed: {search.error.message}
        </div>
      )}
      {q && search.data && !search.isPlaceholderData && search.data.total === 0 && (
        <div className="wb-empty" data-testid="search-empty">
          No results for “{q}”. Check the spelling, or try part of a name or a column.
        </div>
      )}
      {hits.length > 0 && search.data && (
        <>
          <p className="wb-muted wb-search-meta">
            {search.data.total > hits.length
              ? `Best ${hits.length} of ${search.data.total} results`
              : `${search.data.total} result${search.data.total === 1 ? '' : 's'}`}{' '}
            ({typeCounts(hits)}) in {search.data.tookMs} ms
          </p>
          <ul
            id={listId}
            role="listbox"
            aria-label="Search results"
            className={`wb-search-results${search.isPlaceholderData ? ' wb-search-stale' : ''}`}
          >
            {hits.map((hit, i) => {
              const to = target(hit);
              return (
                <li
                  key={hit.id}
                  id={`${listId}-${i}`}
                  role="option"
                  aria-selected={i === active}
                  className="wb-search-hit"
                  data-testid="search-hit"
                  onMouseEnter={() => setActive(i)}
                  onClick={(event) => {
                    if (to && !(event.target as HTMLElement).closest('a')) navigate(to);
                  }}
                >
                  <span className="wb-search-type">
                    <TypeBadge type={hit.resourceType} />
                  </span>
                  <div className="wb-search-hit-body">
                    {to ? (
                      <Link to={to} className="wb-search-hit-name">
                        {hit.name}
                      </Link>
                    ) : (
                      <span className="wb-search-hit-name">{hit.name}</span>
                    )}
                    <span className="wb-search-match">
                      matched {matchLabel(hit)}
                      {hit.owner && <> · from {hit.owner}</>}
                    </span>
                    {hit.description && <p className="wb-search-snippet">{hit.description}</p>}
                    {hit.uniqueId && <span className="wb-search-id">{hit.uniqueId}</span>}
                  </div>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </div>
  );
}
