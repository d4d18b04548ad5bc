import { QueryClientProvider } from '@tanstack/react-query';
import type { PluginSdk } from '@dbt-workbench/plugin-sdk';
import { Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import type { Extension } from '../../shared/api.schema.ts';
import { disablePlugin } from '../../shared/http/plugins.ts';
import { callApi } from '../api/client.ts';
import { useMe } from '../auth/session.ts';
import { useNotifications } from '../notifications/notifications.ts';
import { useWorkspace, workspacePath } from '../workspaces/workspace-context.tsx';
import { IsolatedContribution } from './isolated/IsolatedContribution.tsx';
import { PluginErrorBoundary } from './PluginErrorBoundary.tsx';
import { createPluginSdk } from './plugin-sdk.ts';
import { useOnScreen } from './on-screen.ts';
import { markContributionRendered } from './rendered-mark.ts';
import { useExtensionRuntime, useRemoteLoader } from './runtime-context.tsx';

interface Props {
  extension: Extension;
  /** Slot-specific props, besides `sdk`, which every contribution gets. */
  slotProps?: Record<string, unknown>;
}

const noProps: Record<string, unknown> = {};

/** The SDK of one plugin in the current workspace, as the page holds it (the bridge of a frame forwards to it). */
function usePluginSdk(extension: Extension): PluginSdk {
  const runtime = useExtensionRuntime();
  const workspace = useWorkspace();
  const me = useMe().data;
  const navigate = useNavigate();
  const notify = useNotifications((s) => s.notify);
  return useMemo(
    () =>
      createPluginSdk({
        plugin: { name: extension.plugin, version: extension.pluginVersion, displayName: extension.pluginDisplayName },
        config: extension.pluginConfig ?? {},
        workspace: { name: workspace.name, title: workspace.title },
        user: { username: me?.user.username ?? '', displayName: me?.user.displayName ?? '', role: workspace.role },
        navigate: (to) => navigate(workspacePath(workspace.name, to)),
        notify,
        tokens: runtime.tokens,
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
      runtime.tokens,
    ],
  );
}

/** Commits with the plugin's component (never before it: a suspended sibling holds the whole boundary back). */
function RenderedMark({ plugin, contribution }: { plugin: string; contribution: string }) {
  useEffect(() => markContributionRendered(plugin, contribution), [plugin, contribution]);
  return null;
}

/** In-page: the plugin's component in the shell's own realm, with the user's full rights. */
function InPageContribution({ extension, slotProps, sdk }: Required<Props> & { sdk: PluginSdk }) {
  const runtime = useExtensionRuntime();
  if (!('module' in extension) || !extension.remote)
    throw new Error(`contribution ${extension.id} has no module to render`);
  const Component = runtime.lazyComponent(extension.remote, extension.module);
  return (
    <QueryClientProvider client={runtime.queryClients.clientFor(extension.plugin)}>
      <Component {...slotProps} sdk={sdk} />
      <RenderedMark plugin={extension.plugin} contribution={extension.id} />
    </QueryClientProvider>
  );
}

/** In-page too, a contribution fetches its plugin's remote only once its place is on screen, as frames wait. */
function InPageWhenOnScreen({ extension, slotProps, sdk }: Required<Props> & { sdk: PluginSdk }) {
  const placeholder = useRef<HTMLDivElement>(null);
  const onScreen = useOnScreen(placeholder);
  const loading = (
    <div ref={placeholder} className="wb-loading" aria-busy="true">
      Loading {extension.pluginDisplayName}…
    </div>
  );
  if (!onScreen) return loading;
  return (
    <Suspense fallback={loading}>
      <InPageContribution extension={extension} slotProps={slotProps} sdk={sdk} />
    </Suspense>
  );
}

function LoadedContribution({ extension, slotProps, attempt }: Required<Props> & { attempt: number }) {
  const sdk = usePluginSdk(extension);
  const loader = useRemoteLoader();
  if (extension.uiTrust === 'in-page')
    return <InPageWhenOnScreen extension={extension} slotProps={slotProps} sdk={sdk} />;
  if (!('module' in extension) || !extension.remote)
    throw new Error(`contribution ${extension.id} has no module to render`);
  return (
    <IsolatedContribution
      key={`${extension.remote.revision}:${attempt}`}
      extension={extension}
      slotProps={slotProps}
      sdk={sdk}
      loader={loader}
    />
  );
}

/** Says that a contribution runs its user's own dev build, unpinned, and from where. */
function DevBuildBadge({ origin }: { origin: string }) {
  return (
    <div className="wb-dev-build">
      <span
        className="wb-badge wb-badge-warn"
        title="Your own dev build (workbench-plugin dev --server). It is not pinned: this page runs whatever your dev server serves. Nobody else sees it."
      >
        dev build from {origin}
      </span>
    </div>
  );
}

/**
 * Renders one contribution inside its own error boundary, so its failure stays its own: in a sandboxed frame
 * (`isolated`, the default) or in the page (`in-page`, for plugins an admin trusts), as the admin chose. The user's
 * own dev build carries a badge naming its dev server.
 */
export function ContributionView({ extension, slotProps = noProps }: Props) {
  const runtime = useExtensionRuntime();
  const isInstanceAdmin = useMe().data?.user.isInstanceAdmin ?? false;
  const [attempt, setAttempt] = useState(0);
  const remote = extension.remote;
  const module = 'module' in extension ? extension.module : undefined;
  const view = (
    <PluginErrorBoundary
      key={remote?.revision}
      onRetry={() => {
        if (remote && module) runtime.retry(remote, module);
        setAttempt((n) => n + 1);
      }}
      onDisable={isInstanceAdmin ? () => callApi(disablePlugin, { params: { name: extension.plugin } }) : undefined}
      plugin={extension.plugin}
      pluginDisplayName={extension.pluginDisplayName}
      contribution={extension.id}
    >
      <LoadedContribution extension={extension} slotProps={slotProps} attempt={attempt} />
    </PluginErrorBoundary>
  );
  if (!remote?.dev) return view;
  return (
    <>
      <DevBuildBadge origin={remote.dev.origin} />
      {view}
    </>
  );
}
