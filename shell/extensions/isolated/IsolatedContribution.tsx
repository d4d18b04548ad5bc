import type { PluginSdk } from '@dbt-workbench/plugin-sdk';
import { CallOptions, connect, WindowMessenger, type RemoteProxy } from 'penpal';
import { useEffect, useRef, useState, type CSSProperties } from 'react';
import type { Extension } from '../../../shared/api.schema.ts';
import type { FrameMethods } from '../../isolation/bridge-contract.ts';
import { splitProps } from '../../isolation/wire.ts';
import { useLoadProblems } from '../load-problems.ts';
import { useOnScreen } from '../on-screen.ts';
import { createPluginStorage } from '../plugin-storage.ts';
import { markContributionRendered } from '../rendered-mark.ts';
import { RemoteLoadError, type RemoteLoader } from '../remote-loader.ts';
import { createCallBudget } from './bridge-gate.ts';
import { canvasExtent, layoutOfSlot, themeTokens } from './frame-layout.ts';
import { frameUrl } from './frame-origin.ts';
import { createHostMethods } from './host-methods.ts';

type CodeExtension = Extract<Extension, { module: string }>;

/** How often the host checks that a frame's thread still answers, and how long it waits. */
const HEARTBEAT_MS = 2_000;
const HEARTBEAT_TIMEOUT_MS = 5_000;
/** Calls a frame may make: a burst, then a steady rate. */
const CALL_BUDGET = { burst: 60, perSecond: 20 };

/** A frame whose thread stopped answering the heartbeat: torn down, with "Try again" and, for admins, "Disable". */
export class FrameUnresponsiveError extends Error {
  override name = 'FrameUnresponsiveError';
}

/** A plugin's own error from its frame, with the plugin's message first. */
export class FrameRenderError extends Error {
  override name = 'FrameRenderError';
}

interface Props {
  extension: CodeExtension;
  slotProps: Record<string, unknown>;
  /** This plugin's page-side SDK: the bridge forwards to it after its checks. */
  sdk: PluginSdk;
  loader: RemoteLoader;
}

/**
 * One contribution of an isolated plugin: a sandboxed frame with an opaque origin (scripts only: no same
 * origin, no top navigation, no popups) running the plugin's unchanged remote under the isolation runtime.
 * Failures are thrown to the PluginErrorBoundary around it, so they look as they do in the page.
 */
export function IsolatedContribution({ extension, slotProps, sdk, loader }: Props) {
  const holder = useRef<HTMLDivElement>(null);
  const iframe = useRef<HTMLIFrameElement>(null);
  const onScreen = useOnScreen(holder);
  const [failure, setFailure] = useState<Error | null>(null);
  const [rendered, setRendered] = useState(false);
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  const frame = useRef<RemoteProxy<FrameMethods> | null>(null);
  const latest = useRef({ slotProps, sdk, extension });
  latest.current = { slotProps, sdk, extension };
  const layout = layoutOfSlot(extension.slot as Parameters<typeof layoutOfSlot>[0]);
  const remote = extension.remote!;
  if (failure) throw failure;

  useEffect(() => {
    const window_ = iframe.current?.contentWindow;
    if (!onScreen || !window_) return;
    const started = performance.now();
    let ended = false;
    const fail = (error: Error) => {
      if (ended) return;
      ended = true;
      cleanup();
      setFailure(error);
    };
    const report = useLoadProblems.getState().report;
    const problem = (code: 'bridge-refused' | 'bridge-flood', message: string) =>
      report({ plugin: extension.plugin, contribution: extension.id, code, message });
    const methods = createHostMethods({
      sdk: latest.current.sdk,
      budget: createCallBudget(CALL_BUDGET),
      // Mounted only while the extensions list holds this contribution (the plugin is enabled here): disabling
      // it unmounts this view, which destroys the connection, so later calls are not even received.
      grant: () => ({ enabled: true, capabilities: latest.current.extension.pluginCapabilities }),
      callbacks: () => latest.current.slotProps,
      reports: {
        refused: (message) => problem('bridge-refused', message),
        flooded: (count) => problem('bridge-flood', `${count} calls over the bridge's budget were refused`),
      },
      frame: {
        resized: setSize,
        rendered: () => {
          setRendered(true);
          markContributionRendered(extension.plugin, extension.id);
          loader.recordLoad(remote, extension.module, performance.now() - started);
        },
        failed: (f) => {
          const cause = f.detail ? new Error(f.detail) : undefined;
          if (f.phase === 'load') fail(new RemoteLoadError(f.message, { cause }));
          else if (f.phase === 'render') fail(new FrameRenderError(f.message, { cause }));
          else
            report({ plugin: extension.plugin, contribution: extension.id, code: 'render-failed', message: f.message });
        },
      },
    });
    const connection = connect<FrameMethods>({
      // The frame's origin is opaque ("null"), so no origin can be checked: penpal accepts a message only from
      // this frame's window, which is what ties every call to this plugin.
      messenger: new WindowMessenger({ remoteWindow: window_, allowedOrigins: ['*'] }),
      methods,
      timeout: 15_000,
    });
    let heartbeat: ReturnType<typeof setInterval> | undefined;
    function cleanup() {
      clearInterval(heartbeat);
      connection.destroy();
      frame.current = null;
    }
    connection.promise.then(
      async (connected) => {
        frame.current = connected;
        heartbeat = setInterval(() => {
          connected.ping(new CallOptions({ timeout: HEARTBEAT_TIMEOUT_MS })).catch(() => {
            useLoadProblems.getState().report({
              plugin: extension.plugin,
              contribution: extension.id,
              code: 'frame-unresponsive',
              message: `its frame stopped answering for ${HEARTBEAT_TIMEOUT_MS / 1000} s and was closed`,
            });
            fail(new FrameUnresponsiveError(`It stopped responding (its code kept the frame busy) and was closed.`));
          });
        }, HEARTBEAT_MS);
        const { data, callbacks } = splitProps(latest.current.slotProps);
        const current = latest.current.sdk;
        const mounting = connected.mount({
          plugin: {
            name: extension.plugin,
            version: extension.pluginVersion,
            displayName: extension.pluginDisplayName,
          },
          slot: extension.slot as Parameters<typeof layoutOfSlot>[0],
          contribution: extension.id,
          remote,
          module: extension.module,
          layout,
          props: data,
          callbacks,
          sdk: {
            workspace: current.workspace,
            user: current.user,
            config: current.config,
            storage: createPluginStorage(extension.plugin).entries(),
          },
          theme: themeTokens(),
          loadTimeoutMs: await loader.timeoutMs(),
        });
        // A frame closed meanwhile (unresponsive, or the view went away) ends its mount call: nothing to report.
        await mounting.catch((error: unknown) => {
          if (!ended) fail(new RemoteLoadError('Its frame stopped while loading.', { cause: error as Error }));
        });
      },
      (error: unknown) =>
        fail(
          new RemoteLoadError('Its frame did not start.', {
            cause: error instanceof Error ? error : new Error(String(error)),
          }),
        ),
    );
    return () => {
      ended = true;
      cleanup();
    };
    // Keyed by revision above: a new build is a new view and frame; everything else reaches it as an update.
  }, [onScreen]);

  // New props or configuration reach the mounted frame without reloading it.
  useEffect(() => {
    if (!rendered || !frame.current) return;
    const { data, callbacks } = splitProps(slotProps);
    void frame.current.update({ props: data, callbacks, config: sdk.config as Record<string, unknown> });
  }, [rendered, slotProps, sdk]);

  const canvas = layout === 'canvas' ? canvasExtent(slotProps.boxes as Parameters<typeof canvasExtent>[0]) : null;
  const style: CSSProperties = canvas
    ? { width: canvas.width, height: canvas.height, pointerEvents: 'none' }
    : {
        width: layout === 'inline' ? (size?.width ?? 480) : '100%',
        height: rendered ? (size?.height ?? 0) : 0,
      };
  const src = frameUrl(extension.plugin, remote.revision);
  return (
    <div
      ref={holder}
      className={`wb-plugin-frame wb-plugin-frame-${layout}`}
      data-testid="plugin-frame-holder"
      data-plugin={extension.plugin}
      data-state={rendered ? 'rendered' : 'loading'}
    >
      {!rendered && layout !== 'canvas' && (
        <div className="wb-loading" aria-busy="true">
          Loading {extension.pluginDisplayName}…
        </div>
      )}
      {onScreen && (
        <iframe
          ref={iframe}
          src={src}
          sandbox="allow-scripts"
          title={`${extension.pluginDisplayName}: ${extension.title ?? extension.id}`}
          style={style}
          className="wb-plugin-iframe"
          data-testid="plugin-frame"
          data-plugin={extension.plugin}
        />
      )}
    </div>
  );
}
