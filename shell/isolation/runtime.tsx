// The isolation runtime: the one script of an isolated plugin frame. It is a Module Federation host of its own
// (rspack.config.ts), so the frame loads the plugin's unchanged remote with the frame's own React, and it
// renders the contribution with an SDK whose every call crosses the bridge to the page.
import '../styles.css';
import './frame.css';
// Shared modules are provided only when this host imports them itself (notes/isolated-ui.md), so each is here.
import '@tanstack/react-query';
import 'react-dom';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { connect, WindowMessenger, type RemoteProxy } from 'penpal';
import { Component, useEffect, type ComponentType, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { createRemoteLoader } from '../extensions/remote-loader.ts';
import type { FrameMethods, FrameMount, FrameUpdate, HostMethods } from './bridge-contract.ts';
import { createFrameSdk } from './frame-sdk.ts';

type Host = RemoteProxy<HostMethods>;

class RenderBoundary extends Component<{ onError(error: Error): void; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override componentDidCatch(error: Error) {
    this.props.onError(error);
  }
  override render() {
    return this.state.failed ? null : this.props.children;
  }
}

/** Commits with the plugin's component (a sibling: a suspended or failed component holds it back too). */
function Committed({ onCommit }: { onCommit(): void }) {
  useEffect(onCommit);
  return null;
}

function messageOf(error: unknown): { message: string; detail?: string } {
  if (!(error instanceof Error)) return { message: String(error) };
  return { message: error.message };
}

/**
 * A failed load, with the plugin's own error first ("threw while loading: x is not defined", "no answer within
 * 15 s") and where it was loaded from as the detail.
 */
function loadFailureOf(error: unknown): { message: string; detail?: string } {
  if (!(error instanceof Error) || !(error.cause instanceof Error)) return messageOf(error);
  return { message: `Its code failed while loading: ${error.cause.message}`, detail: error.message };
}

function applyTheme(theme: Record<string, string>): void {
  for (const [name, value] of Object.entries(theme)) {
    if (name.startsWith('--wb-')) document.documentElement.style.setProperty(name, value);
  }
}

/** Tells the host the content's size whenever it changes, so the frame fits its content without a scrollbar. */
function reportSize(host: Host, layout: FrameMount['layout']): void {
  const root = document.getElementById('root')!;
  let last = '';
  const send = () => {
    const box = root.getBoundingClientRect();
    const size = { width: Math.ceil(box.width), height: Math.ceil(box.height) };
    const key = `${size.width}x${size.height}`;
    if (key === last) return;
    last = key;
    void host.resized(size);
  };
  document.documentElement.dataset.layout = layout;
  new ResizeObserver(send).observe(root);
  send();
}

function startFrame(): void {
  let host: Host | undefined;
  let root: Root | undefined;
  let render: ((update: FrameUpdate) => void) | undefined;
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, staleTime: 30_000 } } });

  const methods: FrameMethods = {
    ping: () => 'pong',
    update(update) {
      render?.(update);
    },
    async mount(mount) {
      const bridge = host!;
      applyTheme(mount.theme);
      const loader = createRemoteLoader({ origin: location.origin, timeoutMs: () => mount.loadTimeoutMs });
      let Component: ComponentType<Record<string, unknown>>;
      try {
        Component = (await loader.loadComponent(mount.remote, mount.module)) as ComponentType<Record<string, unknown>>;
      } catch (error) {
        void bridge.failed({ phase: 'load', ...loadFailureOf(error) });
        return;
      }
      const sdkFor = createFrameSdk(bridge, mount);
      root ??= createRoot(document.getElementById('root')!);
      const onError = (error: Error) => void bridge.failed({ phase: 'render', ...messageOf(error) });
      // Told once, after React first commits the plugin's component (an effect, not an animation frame: a browser
      // may hold animation frames back in a frame that is still zero pixels high, as this one is until then).
      let told = false;
      const onCommit = () => {
        if (told) return;
        told = true;
        void bridge.rendered();
      };
      render = ({ props, callbacks, config }) => {
        const functions = Object.fromEntries(
          callbacks.map((name) => [name, (...args: unknown[]) => bridge.callback(name, args)]),
        );
        root!.render(
          <RenderBoundary onError={onError}>
            <QueryClientProvider client={queryClient}>
              <Component {...props} {...functions} sdk={sdkFor(config)} />
              <Committed onCommit={onCommit} />
            </QueryClientProvider>
          </RenderBoundary>,
        );
      };
      reportSize(bridge, mount.layout);
      render({ props: mount.props, callbacks: mount.callbacks, config: mount.sdk.config });
    },
  };

  // Messages count only from the page that created this frame: the app's origin, which the frame's URL carries in
  // its fragment (the frame may be served from the plugin's own site); only the app may frame it (frame-ancestors).
  const parentOrigin = new URLSearchParams(location.hash.slice(1)).get('parent') ?? location.origin;
  const connection = connect<HostMethods>({
    messenger: new WindowMessenger({ remoteWindow: window.parent, allowedOrigins: [parentOrigin] }),
    methods,
  });
  void connection.promise.then((remote) => {
    host = remote;
  });
  // An error thrown outside React (a timer, an event handler) is the plugin's too: reported, as in the page it
  // would only reach the console, but the frame keeps running.
  addEventListener('error', (event) => {
    if (host) void host.failed({ phase: 'uncaught', message: event.message || String(event.error) });
  });
  addEventListener('unhandledrejection', (event) => {
    if (host) void host.failed({ phase: 'uncaught', ...messageOf(event.reason) });
  });
}

// Provided to remotes but loaded only when one asks: most plugins use neither, and each frame would pay for them.
export const providedOnDemand = [() => import('react-router'), () => import('zustand')];

startFrame();
