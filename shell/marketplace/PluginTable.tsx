import { memo, useState } from 'react';
import type { PluginSummary } from '../../shared/api.schema.ts';
import { HealthBadge } from './HealthBadge.tsx';
import { PluginCard } from './PluginCard.tsx';
import { PluginIcon } from './PluginIcon.tsx';
import { applicableActions } from './plugin-filters.ts';
import { usePluginActions } from './plugin-actions.ts';
import { StateBadge } from './StateBadge.tsx';

/** Opens the review of an approve or disable for these plugins (the same dialog as the bulk actions). */
export type OpenReview = (kind: 'approve' | 'disable', plugins: PluginSummary[]) => void;

interface RowProps {
  plugin: PluginSummary;
  selected: boolean;
  onSelect: (name: string, selected: boolean) => void;
  onReview: OpenReview;
}

/** One plugin on one line: only the actions its state allows; "Details" unfolds its whole card below. */
const PluginRow = memo(function PluginRow({ plugin, selected, onSelect, onReview }: RowProps) {
  const [open, setOpen] = useState(false);
  const actions = usePluginActions(plugin.name);
  const can = applicableActions(plugin);
  const title = plugin.displayName ?? plugin.name;
  return (
    <>
      <tr data-testid="plugin-row" data-plugin={plugin.name} aria-selected={selected}>
        <td className="wb-plugin-table-check">
          <input
            type="checkbox"
            aria-label={`Select ${title}`}
            checked={selected}
            onChange={(e) => onSelect(plugin.name, e.target.checked)}
          />
        </td>
        <td>
          <div className="wb-plugin-table-name">
            <PluginIcon iconUrl={plugin.iconUrl} displayName={plugin.displayName} name={plugin.name} size="small" />
            <div>
              <strong>{title}</strong> <code>{plugin.name}</code>
              {plugin.description && (
                <div className="wb-muted wb-plugin-table-description" title={plugin.description}>
                  {plugin.description}
                </div>
              )}
              {actions.error && <div className="wb-form-error">{actions.error.message}</div>}
            </div>
          </div>
        </td>
        <td className="wb-market-nowrap">{plugin.version ?? <span className="wb-muted">unknown</span>}</td>
        <td>
          <StateBadge state={plugin.state} rejected={plugin.rejected !== undefined} />
        </td>
        <td>{plugin.health ? <HealthBadge health={plugin.health} withSummary={false} /> : null}</td>
        <td className="wb-plugin-table-actions">
          {can.approve && (
            <button type="button" className="wb-button wb-button-primary" onClick={() => onReview('approve', [plugin])}>
              Review…
            </button>
          )}
          {can.enable && (
            <button type="button" className="wb-button" disabled={actions.pending} onClick={actions.enable}>
              Enable
            </button>
          )}
          {can.disable && (
            <button type="button" className="wb-button" onClick={() => onReview('disable', [plugin])}>
              Disable…
            </button>
          )}
          <button type="button" className="wb-link-button" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? 'Hide details' : 'Details'}
          </button>
        </td>
      </tr>
      {open && (
        <tr className="wb-plugin-table-details">
          <td colSpan={6}>
            <PluginCard plugin={plugin} />
          </td>
        </tr>
      )}
    </>
  );
});

/** The compact view: one row per plugin, a checkbox on each for the bulk actions. */
export function PluginTable({
  plugins,
  selected,
  onSelect,
  onSelectAll,
  onReview,
}: {
  plugins: PluginSummary[];
  selected: ReadonlySet<string>;
  onSelect: (name: string, selected: boolean) => void;
  onSelectAll: (selected: boolean) => void;
  onReview: OpenReview;
}) {
  const all = plugins.length > 0 && plugins.every((p) => selected.has(p.name));
  const some = !all && plugins.some((p) => selected.has(p.name));
  return (
    <table className="wb-table wb-plugin-table" data-testid="plugin-table">
      <thead>
        <tr>
          <th className="wb-plugin-table-check">
            <input
              type="checkbox"
              aria-label="Select every plugin shown"
              checked={all}
              ref={(input) => {
                if (input) input.indeterminate = some;
              }}
              onChange={(e) => onSelectAll(e.target.checked)}
            />
          </th>
          <th>Plugin</th>
          <th>Version</th>
          <th>State</th>
          <th>Health</th>
          <th>Actions</th>
        </tr>
      </thead>
      <tbody>
        {plugins.map((plugin) => (
          <PluginRow
            key={plugin.directory}
            plugin={plugin}
            selected={selected.has(plugin.name)}
            onSelect={onSelect}
            onReview={onReview}
          />
        ))}
      </tbody>
    </table>
  );
}
