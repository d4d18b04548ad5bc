import { Suspense, useMemo } from 'react';
import { useNavigate } from 'react-router';
import type { Extension } from '../../shared/api.schema.ts';
import { PluginErrorBoundary } from './PluginErrorBoundary.tsx';
import { createPluginSdk } from './plugin-sdk.ts';
import { workspacePath } from '../workspaces/workspace-context.tsx';
import { useExtensionRuntime } from './runtime-context.tsx';

interface Props {
  extension: Extension;
  /** Slot-specific props, besides `sdk`, which every contribution gets. */
  slotProps?: Record<string, unknown>;
}

function LoadedContribution({ extension, slotProps }: Props) {
  const runtime = useExtensionRuntime();
  const navigate = useNavigate();
  if (!('module' in extension) || !extension.remote)
    throw new Error(`contribution ${extension.id} has no module to render`);
  const Component = runtime.lazyComponent(extension.remote, extension.module);
  const sdk = useMemo(
    () =>
      createPluginSdk({
        plugin: { name: extension.plugin, version: extension.pluginVersion },
        workspace: runtime.workspace,
        navigate: (to) => navigate(workspacePath(runtime.workspace, to)),
      }),
    [extension.plugin, extension.pluginVersion, runtime.workspace, navigate],
  );
  return <Component {...slotProps} sdk={sdk} />;
}

/** Renders one contribution inside its own error boundary and Suspense, so its failure stays its own. */
export function ContributionView(props: Props) {
  const { extension } = props;
  return (
    <PluginErrorBoundary
      key={extension.remote?.revision}
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
