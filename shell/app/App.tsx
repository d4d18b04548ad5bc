import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { DashboardPage } from '../dashboard/DashboardPage.tsx';
import { ExtensionPage } from '../extensions/ExtensionPage.tsx';
import { createRemoteLoader } from '../extensions/remote-loader.ts';
import { ExtensionRuntimeProvider } from '../extensions/runtime-context.tsx';
import { PluginsPage } from '../marketplace/PluginsPage.tsx';
import { Layout } from './Layout.tsx';
import { NotFoundPage } from './NotFoundPage.tsx';

/** The only workspace until workspaces come from configuration. */
const WORKSPACE = 'default';

function createRouter() {
  return createBrowserRouter([
    {
      element: <Layout />,
      children: [
        { index: true, element: <DashboardPage /> },
        { path: 'admin/plugins', element: <PluginsPage /> },
        { path: 'ext/*', element: <ExtensionPage /> },
        { path: '*', element: <NotFoundPage /> },
      ],
    },
  ]);
}

export function App() {
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, retry: 1 } } }),
  );
  const [loader] = useState(() => createRemoteLoader());
  const [router] = useState(createRouter);
  return (
    <QueryClientProvider client={queryClient}>
      <ExtensionRuntimeProvider loader={loader} workspace={WORKSPACE}>
        <RouterProvider router={router} />
      </ExtensionRuntimeProvider>
    </QueryClientProvider>
  );
}
