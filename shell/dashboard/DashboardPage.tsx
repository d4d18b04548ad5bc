import { useHostInfo } from '../api/queries.ts';
import { CatalogSummaryCard } from '../catalog/CatalogSummaryCard.tsx';
import { ExtensionSlot } from '../extensions/slots.tsx';
import { RecentRunsCard } from '../runs/RecentRunsCard.tsx';
import { useWorkspace } from '../workspaces/workspace-context.tsx';

/** The workspace's home: project summary and test health, recent runs, then what plugins add. */
export function DashboardPage() {
  const workspace = useWorkspace();
  const info = useHostInfo();
  const pluginsOn = info.data?.pluginSystemEnabled !== false;
  return (
    <div className="wb-page">
      <header className="wb-page-header">
        <h1>Dashboard</h1>
        <p className="wb-muted">{workspace.title}</p>
      </header>
      <div className="wb-grid" data-testid="core-summary">
        <CatalogSummaryCard />
        <RecentRunsCard />
      </div>
      {pluginsOn && (
        <div className="wb-grid">
          <ExtensionSlot slot="page.widget" filter={(e) => e.page === 'dashboard'} slotProps={{ page: 'dashboard' }} />
          <ExtensionSlot slot="dashboard.widget" />
        </div>
      )}
      {info.data && !info.data.pluginSystemEnabled && (
        <p className="wb-muted" data-testid="plugins-off">
          Plugins are turned off on this server (PLUGIN_SYSTEM_ENABLED=false).
        </p>
      )}
    </div>
  );
}
