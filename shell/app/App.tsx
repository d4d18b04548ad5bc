import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { UsersPage } from '../admin/UsersPage.tsx';
import { WorkspacesPage } from '../admin/WorkspacesPage.tsx';
import { SigningKeysPage } from '../admin/SigningKeysPage.tsx';
import { ApiTokensPage } from '../admin/ApiTokensPage.tsx';
import { fetchHostInfo, queryKeys } from '../api/queries.ts';
import { LoginPage } from '../auth/LoginPage.tsx';
import { RequireSignIn } from '../auth/RequireSignIn.tsx';
import { ServerEvents } from '../events/ServerEvents.tsx';
import { createRemoteLoader } from '../extensions/remote-loader.ts';
import { createTelemetryReporter } from '../extensions/telemetry.ts';
import { RemoteLoaderProvider } from '../extensions/runtime-context.tsx';
import { AuditPage } from '../marketplace/AuditPage.tsx';
import { MarketplacePage } from '../marketplace/MarketplacePage.tsx';
import { PluginsPage } from '../marketplace/PluginsPage.tsx';
import { PluginDiagnosticsPage } from '../marketplace/diagnostics/PluginDiagnosticsPage.tsx';
import { Notifications } from '../notifications/Notifications.tsx';
import { AdminLayout, HomeRedirect, NotFoundLayout, WorkspaceLayout } from './Layouts.tsx';
import { NotFoundPage } from './NotFoundPage.tsx';
import { workspacePages } from './routes.tsx';

function createRouter() {
  const signedIn = (element: React.ReactNode) => <RequireSignIn>{element}</RequireSignIn>;
  return createBrowserRouter([
    { path: '/login', element: <LoginPage /> },
    { path: '/', element: signedIn(<HomeRedirect />) },
    {
      path: '/w/:workspace',
      element: signedIn(<WorkspaceLayout />),
      children: [
        ...workspacePages.map((page) => (page.path === '' ? { index: true, element: page.element } : page)),
        { path: '*', element: <NotFoundPage /> },
      ],
    },
    {
      path: '/admin',
      element: signedIn(<AdminLayout />),
      children: [
        { path: 'plugins', element: <PluginsPage /> },
        { path: 'plugins/:name', element: <PluginDiagnosticsPage /> },
        { path: 'users', element: <UsersPage /> },
        { path: 'workspaces', element: <WorkspacesPage /> },
        { path: 'signing-keys', element: <SigningKeysPage /> },
        { path: 'api-tokens', element: <ApiTokensPage /> },
        { path: 'marketplace', element: <MarketplacePage /> },
        { path: 'audit', element: <AuditPage /> },
      ],
    },
    { path: '*', element: signedIn(<NotFoundLayout />) },
  ]);
}

export function App() {
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, retry: 1 } } }),
  );
  const [telemetry] = useState(() => createTelemetryReporter());
  const [loader] = useState(() =>
    createRemoteLoader({
      onLoaded: (_remote, _module, ms) => telemetry.loaded(_remote.plugin, ms),
      timeoutMs: async () =>
        (await queryClient.ensureQueryData({ queryKey: queryKeys.hostInfo, queryFn: fetchHostInfo }))
          .pluginLoadTimeoutMs,
    }),
  );
  const [router] = useState(createRouter);
  return (
    <QueryClientProvider client={queryClient}>
      <RemoteLoaderProvider loader={loader}>
        <ServerEvents />
        <RouterProvider router={router} />
        <Notifications />
      </RemoteLoaderProvider>
    </QueryClientProvider>
  );
}
