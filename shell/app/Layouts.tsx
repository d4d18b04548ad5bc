import { useEffect, type ReactNode } from 'react';
import { Navigate, Outlet, useParams } from 'react-router';
import { useMe } from '../auth/session.ts';
import { ExtensionRuntimeProvider, useRemoteLoader } from '../extensions/runtime-context.tsx';
import { AdminNotices } from '../notices/AdminNotices.tsx';
import { SearchShortcut } from '../search/search-shortcut.ts';
import { WorkspaceContext, workspacePath } from '../workspaces/workspace-context.tsx';
import { CommandPalette } from '../palette/CommandPalette.tsx';
import { NotFoundPage } from './NotFoundPage.tsx';
import { Sidebar } from './Sidebar.tsx';

/** The sidebar and the main column around a page: `children`, else the matched child route. */
function Frame({ children }: { children?: ReactNode }) {
  // The moment the shell first shows a page: what benchmark B1 compares with and without plugins.
  useEffect(() => {
    if (!performance.getEntriesByName('wb:shell-rendered').length) performance.mark('wb:shell-rendered');
  }, []);
  return (
    <div className="wb-app">
      <Sidebar />
      <main className="wb-main">
        <AdminNotices />
        {children ?? <Outlet />}
      </main>
    </div>
  );
}

/** `/w/:workspace/*`: the workspace's pages, for its members only; others get the same "not found" as a typo. */
export function WorkspaceLayout() {
  const name = useParams().workspace ?? '';
  const me = useMe();
  const loader = useRemoteLoader();
  const workspace = me.data?.workspaces.find((w) => w.name === name);
  if (!workspace) {
    return (
      <Frame>
        <NotFoundPage what={`No workspace named "${name}" that you belong to.`} />
      </Frame>
    );
  }
  return (
    <WorkspaceContext.Provider value={workspace}>
      <ExtensionRuntimeProvider key={workspace.name} loader={loader} workspace={workspace.name}>
        <SearchShortcut workspace={workspace.name} />
        <CommandPalette workspace={workspace.name} />
        <Frame />
      </ExtensionRuntimeProvider>
    </WorkspaceContext.Provider>
  );
}

/** `/admin/*`: instance administration. */
export function AdminLayout() {
  const me = useMe();
  if (!me.data?.user.isInstanceAdmin) {
    return (
      <Frame>
        <div className="wb-empty" data-testid="forbidden">
          <h1>Admins only</h1>
          <p>Only instance admins can manage plugins, users and workspaces.</p>
        </div>
      </Frame>
    );
  }
  return <Frame />;
}

/** Any other address: "not found" inside the app's frame, so the sidebar still leads somewhere. */
export function NotFoundLayout() {
  return (
    <Frame>
      <NotFoundPage />
    </Frame>
  );
}

/** `/`: the first workspace the user belongs to. */
export function HomeRedirect() {
  const me = useMe();
  const first = me.data?.workspaces[0];
  if (!first) {
    return (
      <Frame>
        <NotFoundPage what="You do not belong to any workspace yet. Ask an admin to add you to one." />
      </Frame>
    );
  }
  return <Navigate to={workspacePath(first.name)} replace />;
}
