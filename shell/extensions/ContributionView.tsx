import { QueryClientProvider } from '@tanstack/react-query';
import { Suspense, useMemo } from 'react';
import { useNavigate } from 'react-router';
import type { Extension } from '../../shared/api.schema.ts';
import { useMe } from '../auth/session.ts';
import { useNotifications } from '../notifications/notifications.ts';
import { useWorkspace, workspacePath } from '../workspaces/workspace-context.tsx';
import { PluginErrorBoundary } from './PluginErrorBoundary.tsx';
import { createPluginSdk } from './plugin-sdk.ts';
import { useExtensionRuntime } from './runtime-context.tsx';

interface Props {
  extension: Extension;
  /** Slot-specific props, besides `sdk`, which every contribution gets. */
  slotProps?: Record<string, unknown>;
}

function LoadedContribution({ extension, slotProps }: Props) {
  const runtime = useExtensionRuntime();
  const workspace = useWorkspace();
  const me = useMe().data;
  const navigate = useNavigate();
  const notify = useNotifications((s) => s.notify);
  if (!('module' in extension) || !extension.remote)
    throw new Error(`contribution ${extension.id} has no module to render`);
  const Component = runtime.lazyComponent(extension.remote, extension.module);
  const sdk = useMemo(
    () =>
      createPluginSdk({
        plugin: { name: extension.plugin, version: extension.pluginVersion, displayName: extension.pluginDisplayName },
        config: extension.pluginConfig ?? {},
        workspace: { name: workspace.name, title: workspace.title },
        user: { username: me?.user.username ?? '', displayName: me?.user.displayName ?? '', role: workspace.role },
        navigate: (to) => navigate(workspacePath(workspace.name, to)),
        notify,
      }),
    [
      extension.plugin,
      extension.pluginVersion,
      extension.pluginDisplayName,
      extension.pluginConfig,
      workspace,
      me,
      navigate,
      notify,
    ],
  );
  return (
    <QueryClientProvider client={runtime.queryClients.clientFor(extension.plugin)}>
      <Component {...slotProps} sdk={sdk} />
    </QueryClientProvider>
  );
}

/** Renders one contribution inside its own error boundary and Suspense, so its failure stays its own. */
export function ContributionView(props: Props) {
  const { extension } = props;
  const runtime = useExtensionRuntime();
  const remote = extension.remote;
  const module = 'module' in extension ? extension.module : undefined;
  return (
    <PluginErrorBoundary
      key={remote?.revision}
      onRetry={remote && module ? () => runtime.retry(remote, module) : undefined}
      plugin={extension.plugin}
      pluginDisplayName={extension.pluginDisplayName}
      contribution={extension.id}
    >
      <Suspense
        fallback={
          <div className="wb-loading" aria-busy="true">
            Loading {extension.pluginDisplayName}…
          </div>
        }
      >
        <LoadedContribution {...props} />
      </Suspense>
    </PluginErrorBoundary>
  );
}
