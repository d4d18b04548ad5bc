import { Link, useParams } from 'react-router';
import { usePlugins } from '../../api/queries.ts';
import { StateBadge } from '../StateBadge.tsx';
import { BackendDiagnostics, BrowserStats } from './BackendDiagnostics.tsx';

/** Admin: one plugin's diagnostics page (`/admin/plugins/:name`): what it costs, what it did, how it runs. */
export function PluginDiagnosticsPage() {
  const { name = '' } = useParams();
  const plugins = usePlugins();
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
      </header>
      {plugin.reason && <p className="wb-reason">{plugin.reason}</p>}
      <section className="wb-card" aria-label="In browsers">
        <h2 className="wb-card-title">In browsers</h2>
        <BrowserStats name={plugin.name} />
      </section>
      {plugin.hasBackend && (
        <section className="wb-card" aria-label="Backend">
          <h2 className="wb-card-title">Backend</h2>
          <BackendDiagnostics name={plugin.name} />
        </section>
      )}
    </div>
  );
}
