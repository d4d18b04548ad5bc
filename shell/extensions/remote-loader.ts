import { getInstance, loadRemote, registerPlugins, registerRemotes } from '@module-federation/enhanced/runtime';
import type { ComponentType } from 'react';
import type { RemoteRef } from '../../shared/api.schema.ts';
import { watchPolicyRefusals } from './csp-blocks.ts';
import { createPinnedRemotes, RemoteChangedError } from './pinned-remotes.ts';

/** Loads exposed modules of plugin remotes, registering each remote at run time the first time it is needed. */
export interface RemoteLoader {
  /** Resolves to the module's default export, checked to be a React component; rejects with a readable error. */
  loadComponent(remote: RemoteRef, module: string): Promise<ComponentType<never>>;
  /** Makes the next load of this remote start afresh (after a failure the user wants to retry). */
  forget(remote: RemoteRef): void;
  /** How long a load may take, as the server's setting says. */
  timeoutMs(): Promise<number>;
  /** Records a load done elsewhere (in an isolated frame) in the same per-plugin cost. */
  recordLoad(remote: RemoteRef, module: string, ms: number): void;
}

export interface RemoteLoaderOptions {
  /** How long a remote may take to load before the slot shows an error (the runtime alone may wait forever). */
  timeoutMs?: () => number | Promise<number>;
  /** Where relative remote entries resolve from. */
  origin?: string;
  /** Told how long each successful module load took, for the per-plugin cost admins see. */
  onLoaded?: (remote: RemoteRef, module: string, ms: number) => void;
}

/** A plugin's code could not be loaded: entry unreachable, timed out, or not a component. `cause` has the detail. */
export class RemoteLoadError extends Error {
  override name = 'RemoteLoadError';
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function isComponent(value: unknown): value is ComponentType<never> {
  // Function components and classes are functions; memo and forwardRef results are objects tagged by React.
  return typeof value === 'function' || (typeof value === 'object' && value !== null && '$$typeof' in value);
}

interface RuntimeHost {
  options: { remotes: { name: string }[] };
  remoteHandler: { removeRemote?: (remote: { name: string }) => void };
}

/**
 * Registers a remote with the runtime, replacing one of the same name. The old registration is removed first, as
 * `registerRemotes(..., { force: true })` does, but without force's "remote is already registered" warning on
 * every reload. The runtime has no public unregister in 2.9 (notes/module-federation.md), so this calls its remote
 * handler, and falls back to `force` if that method is gone.
 */
export function registerRemote(name: string, entry: string): void {
  const host = getInstance() as unknown as RuntimeHost | null;
  const known = host?.options.remotes.find((r) => r.name === name);
  const handler = host?.remoteHandler;
  const canRemove = typeof handler?.removeRemote === 'function';
  if (known && canRemove) handler!.removeRemote!(known);
  registerRemotes([{ name, entry }], { force: known !== undefined && !canRemove });
}

/**
 * The one place that talks to the Module Federation runtime. A remote whose revision changed is unregistered and
 * registered again after its chunk global is deleted, so the new build's chunks really load
 * (notes/module-federation.md: otherwise the old code keeps rendering).
 */
export function createRemoteLoader(options: RemoteLoaderOptions = {}): RemoteLoader {
  const timeoutOf = options.timeoutMs ?? (() => 15_000);
  const origin = options.origin ?? window.location.origin;
  const registered = new Map<string, string>();
  const pins = createPinnedRemotes();
  const preloads = new Map<string, Promise<void>>();
  const refusedByPagePolicy = watchPolicyRefusals();
  registerPlugins([pins.plugin]);

  /** Registers the remote's current revision; a pinned one has its listed files loaded with integrity first. */
  function ensureRegistered(remote: RemoteRef): Promise<void> {
    const known = registered.get(remote.name);
    const entry = new URL(remote.entry, origin).href;
    // Approving again re-pins a remote without a new revision: the pin is part of what is registered.
    const generation = remote.pin ? `${remote.revision} ${JSON.stringify(remote.pin)}` : remote.revision;
    if (known !== generation) {
      if (known !== undefined) delete (window as unknown as Record<string, unknown>)[remote.chunkGlobal];
      pins.set(remote, entry);
      registerRemote(remote.name, entry);
      registered.set(remote.name, generation);
      preloads.set(remote.name, remote.pin ? pins.preload(remote, entry) : Promise.resolve());
    }
    return preloads.get(remote.name)!;
  }

  const resolvedTimeout = async () => {
    // A server older than this shell may not say; fall back rather than time out at once.
    const asked = await timeoutOf();
    return Number.isFinite(asked) && asked > 0 ? asked : 15_000;
  };

  return {
    timeoutMs: resolvedTimeout,
    recordLoad: (remote, module, ms) => options.onLoaded?.(remote, module, ms),
    forget(remote) {
      // Not deleted: a known name must be unregistered and registered again, or the runtime keeps the old entry.
      if (registered.has(remote.name)) registered.set(remote.name, '');
    },
    async loadComponent(remote, module) {
      const request = `${remote.name}/${module.replace(/^\.\//, '')}`;
      const started = performance.now();
      let loaded: { default?: unknown } | null;
      const timeoutMs = await resolvedTimeout();
      try {
        loaded = await withTimeout(
          ensureRegistered(remote).then(() => loadRemote<{ default?: unknown }>(request)),
          timeoutMs,
          `no answer within ${Math.round(timeoutMs / 1000)} s`,
        );
      } catch (cause) {
        const entry = new URL(remote.entry, origin);
        // Asked first: a pinned file the page's policy refused would otherwise read as changed.
        if (entry.origin !== window.location.origin && (await refusedByPagePolicy(entry.href))) {
          throw new RemoteLoadError(
            `Its code is on ${entry.origin}, which ${remote.dev ? 'your dev session brought' : 'was approved'} after this page opened: reload the page to load it.`,
            { cause },
          );
        }
        const changed = cause instanceof RemoteChangedError ? cause : RemoteChangedError.within(cause);
        if (changed) {
          const detail = cause === changed ? {} : { cause };
          throw new RemoteLoadError(`Its code was refused: ${changed.message}.`, detail);
        }
        throw new RemoteLoadError(`Its code could not be loaded from ${entry.href}.`, { cause });
      }
      const component = loaded?.default;
      if (!isComponent(component)) {
        throw new RemoteLoadError(`Its module ${module} does not export a React component as its default export.`);
      }
      options.onLoaded?.(remote, module, performance.now() - started);
      return component;
    },
  };
}
