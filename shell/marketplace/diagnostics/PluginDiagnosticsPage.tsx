import { Link, useParams } from 'react-router';
import { usePlugins } from '../../api/queries.ts';
import { HealthBadge } from '../HealthBadge.tsx';
import { StateBadge } from '../StateBadge.tsx';
import { BackendDiagnostics, BrowserStats, useDiagnostics } from './BackendDiagnostics.tsx';
import { CostCharts } from './CostCharts.tsx';
import { PluginBudget } from './PluginBudget.tsx';
import { PluginLogs } from './PluginLogs.tsx';
import { ServerFiguresTable } from './ServerFigures.tsx';
import { VersionFacts } from './VersionFacts.tsx';

/** Admin: one plugin's diagnostics page (`/admin/plugins/:name`): what it costs, what it did, how it runs. */
export function PluginDiagnosticsPage() {
  const { name = '' } = useParams();
  const plugins = usePlugins();
  const diagnostics = useDiagnostics(name);
  const plugin = plugins.data?.plugins.find((p) => p.name === name);
  if (plugins.isPending) return <div className="wb-loading wb-page-loading">Loading…</div>;
  if (!plugin)
    return (
      <div className="wb-page" data-testid="not-found">
        <Link to="/admin/plugins" className="wb-back-link">
          ← Plugins
        </Link>
        <h1>No plugin named "{name}"</h1>
      </div>
    );
  const health = diagnostics.data?.health ?? plugin.health;
  return (
    <div className="wb-page wb-plugin-diagnostics" data-testid="plugin-diagnostics" data-plugin={plugin.name}>
      <Link to="/admin/plugins" className="wb-back-link">
        ← Plugins
      </Link>
      <header className="wb-page-header wb-diagnostics-header">
        <h1>
          {plugin.displayName ?? plugin.name}{' '}
          <span className="wb-muted">{plugin.version ? `v${plugin.version}` : ''}</span>
        </h1>
        <StateBadge state={plugin.state} />
        {health && <HealthBadge health={health} />}
      </header>
      {plugin.reason && (
        <p className="wb-reason" data-testid="plugin-reason">
          {plugin.reason}
        </p>
      )}
      {diagnostics.data && (
        <section className="wb-card" aria-label="Version">
          <h2 className="wb-card-title">Version</h2>
          <VersionFacts facts={diagnostics.data.versionFacts} />
        </section>
      )}
      <section className="wb-card" aria-label="Cost over time">
        <h2 className="wb-card-title">Cost over time</h2>
        {diagnostics.isError ? (
          <p className="wb-form-error">Could not load the figures: {diagnostics.error.message}</p>
        ) : diagnostics.data ? (
          <CostCharts
            history={diagnostics.data.history ?? []}
            intervalMs={diagnostics.data.historyIntervalMs}
            backend={diagnostics.data.kind !== 'none'}
          />
        ) : (
          <p className="wb-loading">Loading figures…</p>
        )}
      </section>
      {diagnostics.data?.cluster && (
        <section className="wb-card" aria-label="Servers">
          <h2 className="wb-card-title">Servers</h2>
          <ServerFiguresTable cluster={diagnostics.data.cluster} />
        </section>
      )}
      {/* Budgets judge backend calls and restarts: a plugin without a backend has nothing to judge. */}
      {plugin.hasBackend && (
        <section className="wb-card" aria-label="Budget">
          <h2 className="wb-card-title">Budget</h2>
          <PluginBudget name={plugin.name} />
        </section>
      )}
      <section className="wb-card" aria-label="In browsers">
        <h2 className="wb-card-title">In browsers</h2>
        <BrowserStats name={plugin.name} />
      </section>
      {plugin.hasBackend && (
        <section className="wb-card" aria-label="Backend">
          <h2 className="wb-card-title">Backend{diagnostics.data?.cluster ? ' on this server' : ''}</h2>
          <BackendDiagnostics name={plugin.name} />
        </section>
      )}
      <section className="wb-card" aria-label="Logs">
        <h2 className="wb-card-title">Logs</h2>
        <PluginLogs name={plugin.name} />
      </section>
    </div>
  );
}
