import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { ModelListQuery, NodeSummary } from '@dbt-workbench/plugin-sdk/contracts/catalog.schema';
import { useWorkspace } from '../workspaces/workspace-context.tsx';
import { useCatalogFreshness, useModels } from './api.ts';
import { ArtifactErrorBanner } from './ArtifactErrorBanner.tsx';
import { RunBadge, TestSummary } from './badges.tsx';
import { duration, nodePath, timeAgo } from './format.ts';
import { useDebounced } from './use-debounced.ts';
import './catalog.css';

const TYPES: { value: string; label: string; noun: string }[] = [
  { value: '', label: 'Models', noun: 'models' },
  { value: 'seed', label: 'Seeds', noun: 'seeds' },
  { value: 'snapshot', label: 'Snapshots', noun: 'snapshots' },
  { value: 'source', label: 'Sources', noun: 'sources' },
  { value: 'model,seed,snapshot,source', label: 'All of these', noun: 'nodes' },
];

const FILTERS = ['q', 'tag', 'materialization', 'status', 'resourceType'] as const;

function ModelRow({ workspace, node, project }: { workspace: string; node: NodeSummary; project: string | null }) {
  return (
    <tr data-testid="model-row">
      <td>
        <Link to={nodePath(workspace, node.resourceType, node.uniqueId)} className="wb-cat-name">
          {node.name}
          {node.version && <span className="wb-muted"> v{node.version}</span>}
        </Link>
        <div className="wb-cat-sub">
          {project && node.packageName !== project && <strong>{node.packageName} · </strong>}
          {node.path ?? node.uniqueId}
        </div>
      </td>
      <td>{node.materialization ?? <span className="wb-muted">—</span>}</td>
      <td>{node.schema ?? <span className="wb-muted">—</span>}</td>
      <td>
        <span className="wb-cat-tags">
          {node.tags.map((tag) => (
            <span key={tag} className="wb-chip">
              {tag}
            </span>
          ))}
        </span>
      </td>
      <td>
        <TestSummary counts={node.tests} />
      </td>
      <td>
        {node.lastRun ? (
          <span className="wb-cat-run" title={node.lastRun.message ?? undefined}>
            <RunBadge status={node.lastRun.status} />
            <span className="wb-muted">
              {timeAgo(node.lastRun.completedAt)}
              {node.lastRun.executionTime !== null && ` · ${duration(node.lastRun.executionTime)}`}
            </span>
          </span>
        ) : (
          <RunBadge status={null} />
        )}
      </td>
    </tr>
  );
}

/** `models`: the project's models (or seeds, snapshots, sources) with filters kept in the URL. */
export function ModelsPage() {
  const workspace = useWorkspace();
  const status = useCatalogFreshness(workspace.name);
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  const q = useDebounced(text.trim(), 200);

  const set = (key: (typeof FILTERS)[number], value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  useEffect(() => {
    // Only the debounced text drives the URL.
    if ((params.get('q') ?? '') !== q) set('q', q);
  }, [q]);

  const query: ModelListQuery = {};
  for (const key of FILTERS) {
    const value = params.get(key);
    if (value) query[key] = value;
  }
  const models = useModels(workspace.name, query);
  const type = TYPES.find((t) => t.value === (query.resourceType ?? '')) ?? TYPES[0]!;
  const filtered = FILTERS.some((key) => key !== 'resourceType' && query[key]);
  const facets = models.data?.facets;

  return (
    <div className="wb-page" data-testid="models-page">
      <header className="wb-page-header">
        <h1>{type.label}</h1>
        <p className="wb-muted">
          {models.data ? `${models.data.total} ${type.noun}${filtered ? ' match' : ''}` : workspace.title}
        </p>
      </header>
      <ArtifactErrorBanner status={status} />
      <div className="wb-cat-filters" role="search">
        <label className="wb-cat-filter-text">
          Filter
          <input
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="Name, description, path or tag"
            aria-label="Filter by text"
          />
        </label>
        <label>
          Type
          <select value={query.resourceType ?? ''} onChange={(e) => set('resourceType', e.target.value)}>
            {TYPES.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Tag
          <select value={query.tag ?? ''} onChange={(e) => set('tag', e.target.value)} aria-label="Tag">
            <option value="">Any tag</option>
            {facets?.tags.map((tag) => (
              <option key={tag}>{tag}</option>
            ))}
          </select>
        </label>
        <label>
          Materialization
          <select
            value={query.materialization ?? ''}
            onChange={(e) => set('materialization', e.target.value)}
            aria-label="Materialization"
          >
            <option value="">Any</option>
            {facets?.materializations.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </label>
        <label>
          Last status
          <select value={query.status ?? ''} onChange={(e) => set('status', e.target.value)} aria-label="Last status">
            <option value="">Any</option>
            {facets?.statuses.map((s) => (
              <option key={s} value={s}>
                {s === 'not-run' ? 'not run' : s}
              </option>
            ))}
          </select>
        </label>
        {filtered && (
          <button
            type="button"
            className="wb-button"
            onClick={() => {
              setText('');
              setParams(query.resourceType ? { resourceType: query.resourceType } : {}, { replace: true });
            }}
          >
            Clear filters
          </button>
        )}
      </div>
      {models.isPending && <div className="wb-loading">Loading {type.noun}…</div>}
      {models.isError && (
        <div className="wb-plugin-error" role="alert">
          Could not list the {type.noun}: {models.error.message}
        </div>
      )}
      {models.data && models.data.total === 0 && (
        <div className="wb-empty" data-testid="models-empty">
          {filtered ? (
            <p>No {type.noun} match these filters.</p>
          ) : status?.state === 'missing' || status?.loadedAt === null ? (
            <p>Nothing to list until the project's manifest.json is loaded.</p>
          ) : (
            <p>This project has no {type.noun}.</p>
          )}
        </div>
      )}
      {models.data && models.data.total > 0 && (
        <table className="wb-table wb-cat-table" aria-label={type.label}>
          <thead>
            <tr>
              <th>Name</th>
              <th>Materialization</th>
              <th>Schema</th>
              <th>Tags</th>
              <th>Tests</th>
              <th>Last run</th>
            </tr>
          </thead>
          <tbody className={models.isPlaceholderData ? 'wb-cat-stale' : undefined}>
            {models.data.items.map((node) => (
              <ModelRow
                key={node.uniqueId}
                workspace={workspace.name}
                node={node}
                project={status?.projectName ?? null}
              />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
