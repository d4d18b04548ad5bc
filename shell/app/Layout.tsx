import { NavLink, Outlet } from 'react-router';
import type { Extension } from '../../shared/api.schema.ts';
import { useExtensions, useHostInfo } from '../api/queries.ts';
import { useExtensionRuntime } from '../extensions/runtime-context.tsx';

type TabExtension = Extract<Extension, { slot: 'nav.tab' }>;

function byOrderThenTitle(a: TabExtension, b: TabExtension): number {
  return (a.order ?? 0) - (b.order ?? 0) || a.title.localeCompare(b.title);
}

/** Plugin tabs come from the manifest alone: showing them loads no plugin code. */
function PluginTabs() {
  const { workspace } = useExtensionRuntime();
  const { data } = useExtensions(workspace);
  const tabs = (data?.extensions ?? []).filter((e): e is TabExtension => e.slot === 'nav.tab').sort(byOrderThenTitle);
  if (tabs.length === 0) return null;
  return (
    <>
      <div className="wb-nav-heading">Extensions</div>
      {tabs.map((tab) => (
        <NavLink
          key={`${tab.plugin}:${tab.id}`}
          to={`/ext/${tab.path}`}
          className="wb-nav-link"
          data-plugin={tab.plugin}
          title={`From ${tab.pluginDisplayName}`}
        >
          {tab.title}
        </NavLink>
      ))}
    </>
  );
}

export function Layout() {
  const { workspace } = useExtensionRuntime();
  const info = useHostInfo();
  return (
    <div className="wb-app">
      <aside className="wb-sidebar">
        <div className="wb-brand">
          <span className="wb-brand-mark" aria-hidden="true" />
          dbt-Workbench
        </div>
        <div className="wb-workspace" title="Current workspace">
          Workspace <strong>{workspace}</strong>
        </div>
        <nav aria-label="Main">
          <NavLink to="/" end className="wb-nav-link">
            Dashboard
          </NavLink>
          <PluginTabs />
          <div className="wb-nav-heading">Admin</div>
          <NavLink to="/admin/plugins" className="wb-nav-link">
            Plugins
          </NavLink>
        </nav>
        <div className="wb-sidebar-footer">
          {info.data ? `v${info.data.version} · plugin API ${info.data.pluginApi}` : ''}
        </div>
      </aside>
      <main className="wb-main">
        <Outlet />
      </main>
    </div>
  );
}
