import { NavLink, useNavigate } from 'react-router';
import type { Extension } from '../../shared/api.schema.ts';
import { roleAllows } from '@dbt-workbench/plugin-sdk/contracts/roles';
import { useExtensions, useHostInfo } from '../api/queries.ts';
import { useMe, useSignOut } from '../auth/session.ts';
import { PaletteButton } from '../palette/PaletteButton.tsx';
import { useOptionalWorkspace, workspacePath, type CurrentWorkspace } from '../workspaces/workspace-context.tsx';
import { workspaceNav } from './routes.tsx';

type TabExtension = Extract<Extension, { slot: 'nav.tab' }>;

function byOrderThenTitle(a: TabExtension, b: TabExtension): number {
  return (a.order ?? 0) - (b.order ?? 0) || a.title.localeCompare(b.title);
}

/** Plugin tabs come from the manifest alone: showing them loads no plugin code. */
function PluginTabs({ workspace }: { workspace: CurrentWorkspace }) {
  const { data } = useExtensions(workspace.name);
  const tabs = (data?.extensions ?? []).filter((e): e is TabExtension => e.slot === 'nav.tab').sort(byOrderThenTitle);
  if (tabs.length === 0) return null;
  return (
    <>
      <div className="wb-nav-heading">Extensions</div>
      {tabs.map((tab) => (
        <NavLink
          key={`${tab.plugin}:${tab.id}`}
          to={workspacePath(workspace.name, `ext/${tab.path}`)}
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

function WorkspaceSwitcher({ current }: { current: CurrentWorkspace | null }) {
  const me = useMe();
  const navigate = useNavigate();
  const workspaces = me.data?.workspaces ?? [];
  if (workspaces.length === 0) return <div className="wb-workspace">No workspaces</div>;
  return (
    <label className="wb-workspace">
      <span>Workspace</span>
      <select
        aria-label="Workspace"
        value={current?.name ?? ''}
        onChange={(e) => navigate(workspacePath(e.target.value))}
      >
        {!current && <option value="">Choose…</option>}
        {workspaces.map((w) => (
          <option key={w.name} value={w.name}>
            {w.title}
          </option>
        ))}
      </select>
    </label>
  );
}

export function Sidebar() {
  const workspace = useOptionalWorkspace();
  const me = useMe();
  const info = useHostInfo();
  const signOut = useSignOut();
  return (
    <aside className="wb-sidebar">
      <div className="wb-brand">
        <span className="wb-brand-mark" aria-hidden="true" />
        dbt-Workbench
      </div>
      <WorkspaceSwitcher current={workspace} />
      {workspace && <PaletteButton />}
      <nav aria-label="Main">
        {workspace &&
          workspaceNav
            .filter((item) => roleAllows(workspace.role, item.minRole))
            .map((item) => (
              <NavLink
                key={item.to}
                to={workspacePath(workspace.name, item.to)}
                end={item.to === ''}
                className="wb-nav-link"
              >
                {item.label}
              </NavLink>
            ))}
        {workspace && <PluginTabs workspace={workspace} />}
        {me.data?.user.isInstanceAdmin && (
          <>
            <div className="wb-nav-heading">Admin</div>
            <NavLink to="/admin/plugins" className="wb-nav-link">
              Plugins
            </NavLink>
            <NavLink to="/admin/users" className="wb-nav-link">
              Users
            </NavLink>
            <NavLink to="/admin/workspaces" className="wb-nav-link">
              Workspaces
            </NavLink>
            <NavLink to="/admin/marketplace" className="wb-nav-link">
              Marketplace
            </NavLink>
            <NavLink to="/admin/signing-keys" className="wb-nav-link">
              Signing keys
            </NavLink>
            <NavLink to="/admin/api-tokens" className="wb-nav-link">
              API tokens
            </NavLink>
            <NavLink to="/admin/audit" className="wb-nav-link">
              Audit log
            </NavLink>
          </>
        )}
      </nav>
      <div className="wb-sidebar-footer">
        {me.data && (
          <div className="wb-user">
            <span title={me.data.user.username}>
              {me.data.user.displayName}
              {workspace && <span className="wb-role"> · {workspace.role}</span>}
            </span>
            <button type="button" className="wb-link-button wb-sign-out" onClick={() => signOut.mutate()}>
              Sign out
            </button>
          </div>
        )}
        <div>{info.data ? `v${info.data.version} · plugin API ${info.data.pluginApi}` : ''}</div>
      </div>
    </aside>
  );
}
