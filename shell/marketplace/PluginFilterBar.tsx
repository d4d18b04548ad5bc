import { useState } from 'react';
import { useSearchParams } from 'react-router';
import type { PluginSummary } from '../../shared/api.schema.ts';
import { filterCounts, healthFilters, stateFilters, type PluginFilter, type WaitingUpdates } from './plugin-filters.ts';

export type PluginsView = 'cards' | 'table';
const VIEW_KEY = 'wb:plugins-view';

/** The view the admin chose last (in this browser): the full cards or the compact table. */
export function useViewChoice(): [PluginsView, (view: PluginsView) => void] {
  const [view, setView] = useState<PluginsView>(() => (localStorage.getItem(VIEW_KEY) === 'table' ? 'table' : 'cards'));
  return [
    view,
    (next) => {
      localStorage.setItem(VIEW_KEY, next);
      setView(next);
    },
  ];
}

/** The filter, kept in the URL (`?q=&state=&health=`) so a reload or a shared link shows the same list. */
export function usePluginFilter(): [PluginFilter, (next: PluginFilter) => void] {
  const [params, setParams] = useSearchParams();
  const filter: PluginFilter = {
    text: params.get('q') ?? '',
    state: (stateFilters.find((f) => f.state === params.get('state'))?.state ?? '') as PluginFilter['state'],
    health: (healthFilters.find((f) => f.health === params.get('health'))?.health ?? '') as PluginFilter['health'],
  };
  const setFilter = (next: PluginFilter) => {
    const entries = Object.entries({ q: next.text, state: next.state, health: next.health }).filter(([, v]) => v);
    setParams(new URLSearchParams(entries), { replace: true });
  };
  return [filter, setFilter];
}

/** Search, state and health filters with the count each would show, and the view switch. */
export function PluginFilterBar({
  plugins,
  updates,
  filter,
  onChange,
  view,
  onView,
}: {
  plugins: readonly PluginSummary[];
  /** The plugins with a newer version waiting for approval (or rejected). */
  updates: WaitingUpdates;
  filter: PluginFilter;
  onChange: (next: PluginFilter) => void;
  view: PluginsView;
  onView: (view: PluginsView) => void;
}) {
  const counts = filterCounts(plugins, filter, updates);
  const rejected = counts.rejected();
  // Loading is a passing state: its filter shows only while some plugin is in it.
  const states = stateFilters.filter((f) => f.state !== 'loading' || counts.state('loading') > 0);
  return (
    <div className="wb-plugins-filters" data-testid="plugin-filters">
      <div className="wb-plugins-filter-row">
        <label className="wb-plugins-search">
          <span className="wb-visually-hidden">Search plugins</span>
          <input
            type="search"
            value={filter.text}
            placeholder="Search by name, description or author"
            onChange={(e) => onChange({ ...filter, text: e.target.value })}
          />
        </label>
        <label className="wb-plugins-health">
          Health
          <select
            value={filter.health}
            onChange={(e) => onChange({ ...filter, health: e.target.value as PluginFilter['health'] })}
          >
            <option value="">Any ({counts.health('')})</option>
            {healthFilters.map((f) => (
              <option key={f.health} value={f.health}>
                {f.label} ({counts.health(f.health)})
              </option>
            ))}
          </select>
        </label>
        <div className="wb-segmented" role="group" aria-label="View">
          {(['cards', 'table'] as const).map((v) => (
            <button
              key={v}
              type="button"
              className="wb-segmented-option"
              aria-pressed={view === v}
              onClick={() => onView(v)}
            >
              {v === 'cards' ? 'Cards' : 'Table'}
            </button>
          ))}
        </div>
      </div>
      <div className="wb-plugins-states" role="group" aria-label="State">
        {[{ state: '' as const, label: 'All' }, ...states].map((f) => (
          <button
            key={f.state || 'all'}
            type="button"
            className="wb-filter-chip"
            aria-pressed={filter.state === f.state}
            data-state={f.state || 'all'}
            onClick={() => onChange({ ...filter, state: f.state })}
          >
            {f.label}{' '}
            {f.state === 'pending-approval' && rejected > 0 ? (
              // The first count is what still waits for an admin; the rejected ones are listed too, but ask no more.
              <>
                <span className="wb-filter-count">{counts.state(f.state) - rejected}</span>{' '}
                <span className="wb-filter-count wb-filter-count-quiet">{rejected} rejected</span>
              </>
            ) : (
              <span className="wb-filter-count">{counts.state(f.state)}</span>
            )}
          </button>
        ))}
      </div>
    </div>
  );
}
