import { useMemo } from 'react';
import { groupAccess } from '@dbt-workbench/plugin-sdk/contracts/access-request';
import { capabilityDescriptions } from '@dbt-workbench/plugin-sdk/contracts/capabilities';
import type { PluginSummary } from '../../shared/api.schema.ts';
import { timeAgo } from '../catalog/format.ts';
import { useLoadProblems } from '../extensions/load-problems.ts';
import { AccessList } from './AccessList.tsx';
import { HealthBadge } from './HealthBadge.tsx';
import { InstallControls } from './InstallControls.tsx';
import { PluginControls } from './PluginControls.tsx';
import { PluginIcon } from './PluginIcon.tsx';
import { switchedOn } from './plugin-filters.ts';
import { StateBadge } from './StateBadge.tsx';

function ProblemList({ title, items }: { title: string; items: { message: string }[] }) {
  if (items.length === 0) return null;
  return (
    <details className="wb-problems">
      <summary>
        {title} ({items.length})
      </summary>
      <ul>
        {items.map((item, i) => (
          <li key={i}>{item.message}</li>
        ))}
      </ul>
    </details>
  );
}

/** Folders, environment variables, network hosts, raised limits and code from elsewhere, folded under the chips. */
function GrantedBeyondCapabilities({ plugin }: { plugin: PluginSummary }) {
  const others = plugin.access.filter((e) => e.item.kind !== 'capability');
  if (others.length === 0) return null;
  const summary = groupAccess(others)
    .map((g) => `${g.title.toLowerCase()} (${g.entries.length})`)
    .join(', ');
  return (
    <details className="wb-access-more" data-testid="access-more">
      <summary>Also asks for: {summary}</summary>
      <AccessList entries={others} tone="approval" />
    </details>
  );
}

/** One plugin in full: who made it, its state and why, what it asks for, and every admin action on it. */
export function PluginCard({ plugin }: { plugin: PluginSummary }) {
  const allProblems = useLoadProblems((s) => s.problems);
  const browserProblems = useMemo(
    () => allProblems.filter((p) => p.plugin === plugin.name),
    [allProblems, plugin.name],
  );
  return (
    <article className="wb-card wb-plugin" data-testid="plugin-card" data-plugin={plugin.name}>
      <div className="wb-plugin-head">
        <PluginIcon iconUrl={plugin.iconUrl} displayName={plugin.displayName} name={plugin.name} />
        <div className="wb-plugin-title">
          <h2>
            {plugin.displayName ?? plugin.name}{' '}
            <span className="wb-muted">{plugin.version ? `v${plugin.version}` : ''}</span>
          </h2>
          <p className="wb-muted">
            <code>{plugin.name}</code>
            {plugin.author ? ` · by ${plugin.author.name}` : ''}
            {plugin.version && (
              <span data-testid="signature">{plugin.signedBy ? ` · signed by ${plugin.signedBy}` : ' · unsigned'}</span>
            )}
          </p>
        </div>
        <StateBadge state={plugin.state} rejected={plugin.rejected !== undefined} />
      </div>
      {plugin.health && (
        <div className="wb-plugin-health">
          <HealthBadge health={plugin.health} />
        </div>
      )}
      {plugin.description && <p>{plugin.description}</p>}
      {plugin.reloadError && plugin.reloadError.state !== 'pending-approval' && (
        <p className="wb-reason" data-testid="reload-error">
          A newer build{plugin.reloadError.version ? ` (version ${plugin.reloadError.version})` : ''} failed to load:{' '}
          {plugin.reloadError.reason}. Version {plugin.version} keeps running.
        </p>
      )}
      {/* A rejected version's reason is said by the note of its review below, with the time in local form. */}
      {plugin.reason && !plugin.rejected && (
        <p className="wb-reason" data-testid="plugin-reason">
          {plugin.reason}
        </p>
      )}
      {plugin.backendIdle && (
        <p className="wb-muted" data-testid="backend-idle" title={plugin.backendIdle.since}>
          {plugin.backendIdle.since
            ? `Backend idle (stopped ${timeAgo(plugin.backendIdle.since)} with no calls); it starts again on first use.`
            : 'Backend starts on first use.'}
        </p>
      )}
      {plugin.version && (
        <div className="wb-capabilities">
          <span className="wb-muted">Capabilities:</span>{' '}
          {plugin.capabilities.length === 0 ? (
            <span className="wb-muted">none (UI only)</span>
          ) : (
            plugin.capabilities.map((c) => (
              <span key={c} className="wb-chip" title={capabilityDescriptions[c]}>
                {c}
              </span>
            ))
          )}
        </div>
      )}
      {plugin.state !== 'pending-approval' && <GrantedBeyondCapabilities plugin={plugin} />}
      {switchedOn(plugin) && (
        <p className="wb-muted wb-enabled-in">
          Enabled in: {plugin.enabledWorkspaces.length > 0 ? plugin.enabledWorkspaces.join(', ') : 'no workspace'}
        </p>
      )}
      <PluginControls plugin={plugin} />
      <InstallControls plugin={plugin} />
      <ProblemList title="Manifest problems" items={plugin.problems} />
      <ProblemList title="Warnings" items={plugin.warnings} />
      <ProblemList title="Errors in this browser" items={browserProblems} />
    </article>
  );
}
