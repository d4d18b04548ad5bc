import type { HostData, PluginSdk } from '@dbt-workbench/plugin-sdk';
import type { CodeSlotName } from '@dbt-workbench/plugin-sdk';
import type { BridgeBody } from '@dbt-workbench/plugin-sdk/contracts/ui-isolation';
import type { RemoteRef } from '../../shared/api.schema.ts';

/**
 * The two ends of an isolated plugin frame's bridge (penpal over postMessage). Everything that crosses is
 * structured-clone data: the frame end turns it back into the SDK a plugin sees, so plugin code is the same
 * in both UI trust levels. The host end knows the plugin from the frame it created, never from these values.
 */

/** How the host sizes a frame: a block as wide as its slot, an inline control, or a layer over the lineage canvas. */
export type FrameLayout = 'block' | 'inline' | 'canvas';

export interface WireRequest {
  method?: string;
  headers: [string, string][];
  body: BridgeBody;
}

export interface WireResponse {
  status: number;
  statusText: string;
  headers: [string, string][];
  body: ArrayBuffer;
}

export type HostDataMethod = keyof HostData;

/** What a frame needs to render one contribution. */
export interface FrameMount {
  plugin: { name: string; version: string; displayName: string };
  slot: CodeSlotName;
  contribution: string;
  remote: RemoteRef;
  module: string;
  layout: FrameLayout;
  /** The slot's props without its callbacks, which cross by name in `callbacks`. */
  props: Record<string, unknown>;
  callbacks: string[];
  sdk: Pick<PluginSdk, 'workspace' | 'user' | 'config'> & { storage: Record<string, unknown> };
  /** The app's design tokens (CSS custom properties) with their current values. */
  theme: Record<string, string>;
  loadTimeoutMs: number;
}

/** A change pushed to a mounted frame: new slot props or a new configuration. */
export interface FrameUpdate {
  props: Record<string, unknown>;
  callbacks: string[];
  config: Record<string, unknown>;
}

export interface FrameFailure {
  /** `load` and `render` end the contribution (its error card shows); `uncaught` is reported and it goes on. */
  phase: 'load' | 'render' | 'uncaught';
  /** The plugin's own error message, as thrown. */
  message: string;
  detail?: string;
}

/** Methods the frame offers the host. */
export type FrameMethods = {
  mount(mount: FrameMount): Promise<void>;
  update(update: FrameUpdate): void;
  /** The heartbeat: a frame whose thread is stuck never answers. */
  ping(): 'pong';
};

/** Methods the host offers the frame. Each is checked against the plugin's enablement, capabilities and rate. */
export type HostMethods = {
  fetch(path: string, request: WireRequest): Promise<WireResponse>;
  data(method: HostDataMethod, args: unknown[]): Promise<unknown>;
  storage(op: 'set' | 'remove' | 'clear', key?: string, value?: unknown): void;
  notify(message: string, tone?: 'info' | 'success' | 'warning' | 'error'): void;
  navigate(to: string): void;
  /** Calls a callback the slot offers (insert SQL, close a menu) by the name it crossed under. */
  callback(name: string, args: unknown[]): Promise<unknown>;
  resized(size: { width: number; height: number }): void;
  rendered(): void;
  failed(failure: FrameFailure): void;
};

export const hostDataMethods: readonly HostDataMethod[] = ['models', 'node', 'search', 'summary', 'runs', 'sql'];
