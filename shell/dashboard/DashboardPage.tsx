import type { Extension } from '../../shared/api.schema.ts';
import { useExtensions, useHostInfo } from '../api/queries.ts';
import { ContributionView } from '../extensions/ContributionView.tsx';
import { useWorkspace } from '../workspaces/workspace-context.tsx';

type WidgetExtension = Extract<Extension, { slot: 'dashboard.widget' }>;

/** Widgets in `order`, then by plugin name, so the dashboard looks the same on every load. */
export function sortWidgets(widgets: WidgetExtension[]): WidgetExtension[] {
  return widgets.sort(
    (a, b) => (a.order ?? 0) - (b.order ?? 0) || a.plugin.localeCompare(b.plugin) || a.id.localeCompare(b.id),
  );
}

function PluginWidgets() {
  const workspace = useWorkspace();
  const extensions = useExtensions(workspace.name);
  if (extensions.isError) {
    return <div className="wb-plugin-error">Plugin widgets could not be listed: {extensions.error.message}</div>;
  }
  const widgets = sortWidgets(
    (extensions.data?.extensions ?? []).filter((e): e is WidgetExtension => e.slot === 'dashboard.widget'),
  );
  return (
    <>
      {widgets.map((widget) => (
        <section
          key={`${widget.plugin}:${widget.id}`}
          className="wb-card"
          data-testid="dashboard-widget"
          data-plugin={widget.plugin}
        >
          <h2 className="wb-card-title">{widget.title ?? widget.pluginDisplayName}</h2>
          <ContributionView extension={widget} />
          <p className="wb-card-source">from {widget.pluginDisplayName}</p>
        </section>
      ))}
    </>
  );
}

export function DashboardPage() {
  const workspace = useWorkspace();
  const info = useHostInfo();
  return (
    <div className="wb-page">
      <header className="wb-page-header">
        <h1>Dashboard</h1>
        <p className="wb-muted">{workspace.title}</p>
      </header>
      <div className="wb-grid">
        <section className="wb-card" data-testid="core-summary">
          <h2 className="wb-card-title">This workspace</h2>
          <dl className="wb-facts">
            <dt>dbt-Workbench</dt>
            <dd>{info.data?.version ?? '…'}</dd>
            <dt>Plugin API</dt>
            <dd>{info.data?.pluginApi ?? '…'}</dd>
            <dt>Plugins</dt>
            <dd>{info.data ? (info.data.pluginSystemEnabled ? 'enabled' : 'turned off on this server') : '…'}</dd>
          </dl>
        </section>
        {info.data?.pluginSystemEnabled !== false && <PluginWidgets />}
      </div>
    </div>
  );
}
