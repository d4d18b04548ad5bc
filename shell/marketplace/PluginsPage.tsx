import { useCallback, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { PluginSummary } from '../../shared/api.schema.ts';
import { useHostInfo, usePlugins } from '../api/queries.ts';
import { BulkDialog, type BulkIntent } from './BulkDialog.tsx';
import { useInstallations } from './install-api.ts';
import { useHealthRefresh } from './HealthBadge.tsx';
import { PluginCard } from './PluginCard.tsx';
import { PluginFilterBar, usePluginFilter, useViewChoice } from './PluginFilterBar.tsx';
import { PluginTable } from './PluginTable.tsx';
import { applicableActions, filterPlugins, type WaitingUpdates } from './plugin-filters.ts';
import { useBulkAction } from './plugin-bulk.ts';
import './plugins-page.css';

/** Cards shown before "Show more": a page of full cards stays readable and quick to draw. */
const CARD_PAGE = 50;

/** By title, numbers in order ("Costs 9" before "Costs 10"): a plugin keeps its place when its state or folder changes. */
const byTitle = (a: PluginSummary, b: PluginSummary) =>
  (a.displayName ?? a.name).localeCompare(b.displayName ?? b.name, undefined, { numeric: true, sensitivity: 'base' }) ||
  a.name.localeCompare(b.name);

/** What the selected plugins allow together, and the buttons for it; each acts on exactly those it applies to. */
function BulkBar({
  selected,
  onClear,
  onReview,
}: {
  selected: PluginSummary[];
  onClear: () => void;
  onReview: (intent: BulkIntent) => void;
}) {
  const enable = useBulkAction();
  const toApprove = selected.filter((p) => applicableActions(p).approve);
  const toEnable = selected.filter((p) => applicableActions(p).enable);
  const toDisable = selected.filter((p) => applicableActions(p).disable);
  const failed = enable.data?.filter((o) => !o.ok) ?? [];
  return (
    <div className="wb-bulk-bar" data-testid="bulk-bar" role="toolbar" aria-label="Actions on the selected plugins">
      <strong>{selected.length} selected</strong>
      {toApprove.length > 0 && (
        <button
          type="button"
          className="wb-button wb-button-primary"
          onClick={() => onReview({ kind: 'approve', plugins: toApprove })}
        >
          Review and approve {toApprove.length}…
        </button>
      )}
      {toEnable.length > 0 && (
        <button
          type="button"
          className="wb-button"
          disabled={enable.isPending}
          onClick={() => enable.mutate({ action: 'enable', plugins: toEnable.map((p) => ({ name: p.name })) })}
        >
          {enable.isPending ? 'Enabling…' : `Enable ${toEnable.length}`}
        </button>
      )}
      {toDisable.length > 0 && (
        <button type="button" className="wb-button" onClick={() => onReview({ kind: 'disable', plugins: toDisable })}>
          Disable {toDisable.length}…
        </button>
      )}
      {toApprove.length + toEnable.length + toDisable.length === 0 && (
        <span className="wb-muted">No action applies to all of them in their states.</span>
      )}
      <button type="button" className="wb-link-button" onClick={onClear}>
        Clear selection
      </button>
      {enable.data && (
        <span className={failed.length > 0 ? 'wb-form-error' : 'wb-muted'} data-testid="bulk-enable-outcome">
          Enabled {enable.data.length - failed.length}.{failed.map((o) => ` ${o.name}: ${o.error?.message}`).join(';')}
        </span>
      )}
    </div>
  );
}

function PluginCards({ plugins }: { plugins: PluginSummary[] }) {
  const [limit, setLimit] = useState(CARD_PAGE);
  return (
    <>
      <div className="wb-plugin-list">
        {plugins.slice(0, limit).map((plugin) => (
          <PluginCard key={plugin.directory} plugin={plugin} />
        ))}
      </div>
      {plugins.length > limit && (
        <button type="button" className="wb-button wb-plugins-more" onClick={() => setLimit(limit + CARD_PAGE)}>
          Show {Math.min(CARD_PAGE, plugins.length - limit)} more of {plugins.length - limit} ({limit} shown)
        </button>
      )}
    </>
  );
}

/** Admin: every discovered plugin, searchable and filtered by state and health, as cards or a compact table. */
export function PluginsPage() {
  const plugins = usePlugins();
  useHealthRefresh();
  const info = useHostInfo();
  const [view, setView] = useViewChoice();
  const [filter, setFilter] = usePluginFilter();
  const [selection, setSelection] = useState<ReadonlySet<string>>(new Set());
  const [review, setReview] = useState<BulkIntent | undefined>();
  const [, setParams] = useSearchParams();
  const list = useMemo(() => [...(plugins.data?.plugins ?? [])].sort(byTitle), [plugins.data]);
  const installations = useInstallations();
  const updates: WaitingUpdates = useMemo(
    () =>
      new Map(
        installations.data?.installations.flatMap((i) =>
          i.pending ? [[i.name, { rejected: i.pending.rejected !== undefined }] as const] : [],
        ),
      ),
    [installations.data],
  );
  const shown = useMemo(() => filterPlugins(list, filter, updates), [list, filter, updates]);
  // Only what is on screen is acted on: a filter hides a selected plugin from the bulk actions too.
  const selected = shown.filter((p) => selection.has(p.name));
  const active = list.filter((p) => p.state === 'active').length;

  const select = useCallback((name: string, on: boolean) => {
    setSelection((current) => {
      const next = new Set(current);
      if (on) next.add(name);
      else next.delete(name);
      return next;
    });
  }, []);
  const openReview = useCallback(
    (kind: BulkIntent['kind'], plugins: PluginSummary[]) => setReview({ kind, plugins }),
    [],
  );
  return (
    <div className="wb-page">
      <header className="wb-page-header">
        <h1>Plugins</h1>
        <p className="wb-muted">
          {info.data?.pluginSystemEnabled === false
            ? 'The plugin system is turned off on this server (PLUGIN_SYSTEM_ENABLED=false).'
            : `${list.length} discovered, ${active} active`}
        </p>
      </header>
      {plugins.isPending && <div className="wb-loading">Loading plugins…</div>}
      {plugins.isError && <div className="wb-plugin-error">Could not list plugins: {plugins.error.message}</div>}
      {list.length > 0 && (
        <PluginFilterBar
          plugins={list}
          updates={updates}
          filter={filter}
          onChange={setFilter}
          view={view}
          onView={setView}
        />
      )}
      {list.length > 0 && shown.length === 0 && (
        <div className="wb-empty" data-testid="no-plugin-matches">
          No plugin matches these filters.{' '}
          <button type="button" className="wb-link-button" onClick={() => setParams({}, { replace: true })}>
            Clear filters
          </button>
        </div>
      )}
      {view === 'table' && shown.length > 0 && (
        <div className="wb-plugins-table-view">
          {selected.length > 0 && (
            <BulkBar selected={selected} onClear={() => setSelection(new Set())} onReview={setReview} />
          )}
          <PluginTable
            plugins={shown}
            selected={selection}
            onSelect={select}
            onSelectAll={(on) => setSelection(on ? new Set(shown.map((p) => p.name)) : new Set())}
            onReview={openReview}
          />
        </div>
      )}
      {view === 'cards' && <PluginCards key={JSON.stringify(filter)} plugins={shown} />}
      {review && <BulkDialog intent={review} onClose={() => setReview(undefined)} />}
    </div>
  );
}
