import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import type { ToolDescriptor } from '../../shared/tools.schema.ts';
import { TypeBadge } from '../catalog/badges.tsx';
import { nodePath } from '../catalog/format.ts';
import { useDebounced } from '../catalog/use-debounced.ts';
import { useCatalogSearch } from '../search/SearchPage.tsx';
import { paletteShortcutKeys } from '../search/search-shortcut.ts';
import { workspacePath } from '../workspaces/workspace-context.tsx';
import { matchTools } from './match-tools.ts';
import { useTools } from './tools-api.ts';

/** What an option of the palette does when chosen: open a tool's form, or go to a page (a node, all results). */
export type PaletteChoice = { kind: 'tool'; tool: ToolDescriptor } | { kind: 'go'; to: string };

/** How many catalog hits the palette shows below the tools; the search page has the rest. */
const CATALOG_HITS = 5;

export const pluginTitle = (tool: ToolDescriptor) => tool.plugin?.displayName ?? 'Built in';

function ToolOption({ tool }: { tool: ToolDescriptor }) {
  return (
    <>
      <span className="wb-palette-option-main">
        <span className="wb-palette-option-title">{tool.title}</span>
        <span className="wb-muted wb-palette-option-text">{tool.description}</span>
      </span>
      <span className="wb-palette-option-side">
        {tool.effect === 'change' && <span className="wb-badge wb-badge-warn">changes</span>}
        <span className="wb-palette-plugin" data-testid="palette-tool-plugin">
          {pluginTitle(tool)}
        </span>
      </span>
    </>
  );
}

/**
 * The palette's first view: one box that finds the workspace's tools and the catalog's nodes as you type; ↑ ↓ move
 * through both lists, Enter chooses.
 */
export function PaletteSearch({
  workspace,
  text,
  onText,
  onChoose,
}: {
  workspace: string;
  text: string;
  onText(text: string): void;
  onChoose(choice: PaletteChoice): void;
}) {
  const tools = useTools(workspace, true);
  const q = useDebounced(text.trim(), 150);
  const search = useCatalogSearch(workspace, q);
  const [active, setActive] = useState(0);
  const listId = useId();

  const matched = tools.data
    ? matchTools(
        tools.data.tools.map((t) => ({ ...t, pluginTitle: pluginTitle(t) })),
        text,
      )
    : [];
  const found = q && !search.isPlaceholderData ? search.data : undefined;
  const hits = found ? found.hits.filter((hit) => hit.uniqueId).slice(0, CATALOG_HITS) : [];
  const showAll = Boolean(found && found.total > 0);
  const choices: PaletteChoice[] = [
    ...matched.map((tool): PaletteChoice => ({ kind: 'tool', tool })),
    ...hits.map((hit): PaletteChoice => ({ kind: 'go', to: nodePath(workspace, hit.resourceType, hit.uniqueId!) })),
    ...(showAll
      ? [{ kind: 'go', to: `${workspacePath(workspace, 'search')}?${new URLSearchParams({ q })}` } as const]
      : []),
  ];
  const current = Math.min(active, choices.length - 1);
  const optionId = (i: number) => `${listId}-${i}`;

  useEffect(() => {
    setActive(0);
  }, [text]);
  useEffect(() => {
    document.getElementById(optionId(current))?.scrollIntoView({ block: 'nearest' });
  }, [current]);

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setActive(Math.min(current + 1, choices.length - 1));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive(Math.max(current - 1, 0));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const choice = choices[current];
      if (choice) onChoose(choice);
    }
  };

  const option = (choice: PaletteChoice, index: number) => ({
    id: optionId(index),
    role: 'option' as const,
    'aria-selected': index === current,
    className: index === current ? 'wb-palette-option wb-palette-option-active' : 'wb-palette-option',
    onMouseMove: () => index !== current && setActive(index),
    onClick: () => onChoose(choice),
  });

  const toolCount = matched.length;
  const status = tools.isPending
    ? 'Loading tools…'
    : `${toolCount} tool${toolCount === 1 ? '' : 's'}${q && search.data ? `, ${search.data.total} in the catalog` : ''}`;

  return (
    <>
      <div className="wb-palette-box">
        <input
          type="text"
          className="wb-palette-input"
          value={text}
          autoFocus
          placeholder="Run a tool or search the catalog…"
          aria-label="Search tools and the catalog"
          aria-keyshortcuts={paletteShortcutKeys}
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={choices.length > 0}
          aria-controls={listId}
          aria-activedescendant={choices.length > 0 ? optionId(current) : undefined}
          onChange={(e) => onText(e.target.value)}
          onKeyDown={onKeyDown}
        />
      </div>
      <p className="wb-palette-sr" role="status">
        {status}
      </p>
      <div id={listId} role="listbox" aria-label="Tools and catalog results" className="wb-palette-list">
        {tools.isError && (
          <p className="wb-form-error wb-palette-note" role="alert">
            Could not load the tools: {tools.error.message}
          </p>
        )}
        {tools.data && (
          <div role="group" aria-labelledby={`${listId}-tools`}>
            <div id={`${listId}-tools`} className="wb-palette-group" role="presentation">
              Tools
            </div>
            {matched.length === 0 && (
              <p className="wb-muted wb-palette-note">
                {tools.data.tools.length === 0 ? 'No tools in this workspace.' : `No tool matches “${text.trim()}”.`}
              </p>
            )}
            {matched.map((tool, i) => (
              <div key={tool.id} {...option(choices[i]!, i)} data-testid="palette-tool" data-tool={tool.id}>
                <ToolOption tool={tool} />
              </div>
            ))}
          </div>
        )}
        {q && (
          <div role="group" aria-labelledby={`${listId}-catalog`}>
            <div id={`${listId}-catalog`} className="wb-palette-group" role="presentation">
              Catalog
            </div>
            {search.isPending && <p className="wb-muted wb-palette-note">Searching…</p>}
            {search.isError && (
              <p className="wb-form-error wb-palette-note">The search failed: {search.error.message}</p>
            )}
            {found?.total === 0 && <p className="wb-muted wb-palette-note">Nothing in the catalog matches “{q}”.</p>}
            {hits.map((hit, i) => {
              const index = matched.length + i;
              return (
                <div key={hit.uniqueId} {...option(choices[index]!, index)} data-testid="palette-hit">
                  <span className="wb-palette-option-main">
                    <span className="wb-palette-option-title">{hit.name}</span>
                    <span className="wb-muted wb-palette-option-text">{hit.uniqueId}</span>
                  </span>
                  <span className="wb-palette-option-side">
                    <TypeBadge type={hit.resourceType} />
                  </span>
                </div>
              );
            })}
            {found && showAll && (
              <div {...option(choices[choices.length - 1]!, choices.length - 1)} data-testid="palette-all-results">
                <span className="wb-palette-option-main">
                  <span className="wb-palette-option-title">
                    All {found.total} catalog result{found.total === 1 ? '' : 's'} for “{q}”
                  </span>
                </span>
              </div>
            )}
          </div>
        )}
      </div>
      <p className="wb-palette-footer wb-muted" aria-hidden="true">
        <kbd>↑</kbd> <kbd>↓</kbd> to move · <kbd>Enter</kbd> to choose · <kbd>Esc</kbd> to close
      </p>
    </>
  );
}
