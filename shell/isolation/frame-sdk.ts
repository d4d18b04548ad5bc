import type { HostData, PluginSdk, PluginStorage } from '@dbt-workbench/plugin-sdk';
import type { RemoteProxy } from 'penpal';
import type { FrameMount, HostDataMethod, HostMethods } from './bridge-contract.ts';
import { fromWireResponse, toWireRequest } from './wire.ts';

type Host = RemoteProxy<HostMethods>;

const warn = (call: string) => (error: unknown) => console.warn(`${call}:`, error);

/**
 * `sdk.storage` in a frame: the frame may not touch localStorage (its origin is opaque), so it keeps the copy
 * the host sent at mount, answers reads from it at once, and sends every write to the host.
 */
function frameStorage(host: Host, initial: Record<string, unknown>): PluginStorage {
  const values = new Map(Object.entries(initial));
  const forward = (call: Promise<void>) => void call.catch(warn('sdk.storage'));
  return {
    get: (key) => structuredClone(values.get(key)),
    set(key, value) {
      const copy: unknown = JSON.parse(JSON.stringify(value ?? null));
      values.set(key, copy);
      forward(host.storage('set', key, copy));
    },
    remove(key) {
      values.delete(key);
      forward(host.storage('remove', key));
    },
    clear() {
      values.clear();
      forward(host.storage('clear'));
    },
  };
}

function frameData(host: Host): HostData {
  const call =
    <M extends HostDataMethod>(method: M) =>
    (...args: Parameters<HostData[M]>) =>
      host.data(method, args) as ReturnType<HostData[M]>;
  return {
    models: call('models'),
    node: call('node'),
    search: call('search'),
    summary: call('summary'),
    runs: call('runs'),
    sql: call('sql'),
  };
}

/**
 * The same `PluginSdk` a plugin gets in the page, made of bridge calls. Returns a maker: a new configuration
 * gives a new SDK object (as in the page, so a plugin re-renders) over the same storage.
 */
export function createFrameSdk(host: Host, mount: FrameMount): (config: Record<string, unknown>) => PluginSdk {
  const base = {
    apiVersion: 1 as const,
    plugin: { name: mount.plugin.name, version: mount.plugin.version },
    workspace: mount.sdk.workspace,
    user: mount.sdk.user,
    fetch: async (path: string, init?: RequestInit) => fromWireResponse(await host.fetch(path, toWireRequest(init))),
    data: frameData(host),
    storage: frameStorage(host, mount.sdk.storage),
    // Nothing to answer: a refusal (over the budget) is logged here rather than thrown at the plugin later.
    notify: (message: string, options?: { tone?: 'info' | 'success' | 'warning' | 'error' }) =>
      void host.notify(String(message), options?.tone).catch(warn('sdk.notify')),
    navigate: (to: string) => void host.navigate(String(to)).catch(warn('sdk.navigate')),
  };
  return (config) => ({ ...base, config });
}
