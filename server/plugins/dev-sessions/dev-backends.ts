import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HttpError } from '../../http/errors.ts';
import type { BackendRuntime } from '../../sandbox/runtime.ts';
import type { PluginRecord } from '../evaluate.ts';
import type { DevSessions, DevSlotServer } from './dev-sessions.ts';

/** The most a dev backend upload may hold, decoded: source files, not dependencies. */
export const MAX_DEV_BACKEND_BYTES = 4 * 1024 * 1024;

/** Makes the runtime a dev slot runs in: the app's own sandbox and limits, with `dataDirectory` as its data root. */
export type DevRuntimeFactory = (dataDirectory: string) => BackendRuntime;

interface Slot {
  runtime: BackendRuntime;
  folder: string;
  /** Builds uploaded so far, each in its own `build-<n>/` folder. */
  builds: number;
  /** The build serving, whose folder stays; 0 before the first one answered. */
  serving: number;
}

/**
 * Backend dev slots: for one developer and one plugin, a backend process running the developer's uploaded code in
 * place of the approved build, for that developer's calls to `/api/ext/<plugin>/` only. It runs in the same sandbox
 * as the approved backend, with the approved manifest (its capabilities, permissions and limits: never the dev
 * manifest's), from its own code folder and with a data folder of its own (the approved build's data stays
 * untouched). The developer's route and tool calls only: hooks, events and triggers, which belong to no one user,
 * keep calling the approved backend.
 *
 * A slot runs on the one replica its upload reached, recorded in the dev session (`backendServer`): the developer's
 * calls reaching another replica are refused with a 409 naming the one that runs it, never sent to the approved
 * backend. An upload through another replica moves the slot there (the former one ends its process when it hears
 * of it), and a slot whose session ended, on any replica, ends too. A restarted server runs no slot until the next
 * upload, and says so.
 */
export function createDevBackends(options: {
  dataDirectory: string;
  sessions: DevSessions;
  /** This server's id, kept across its restarts (its data folder's replica id): a slot it ran is known as lost. */
  serverId: string;
  port?: number;
}) {
  const { sessions } = options;
  const here: DevSlotServer = {
    id: options.serverId,
    label: `${os.hostname()}${options.port ? `:${options.port}` : ''} (pid ${process.pid})`,
  };
  const root = path.join(options.dataDirectory, 'dev-slots');
  const slots = new Map<string, Slot>();
  let factory: DevRuntimeFactory | undefined;
  const keyOf = (userId: string, plugin: string) => `${userId}\n${plugin}`;

  async function end(userId: string, plugin: string): Promise<boolean> {
    const key = keyOf(userId, plugin);
    const slot = slots.get(key);
    if (!slot) return false;
    slots.delete(key);
    await slot.runtime.close();
    rmSync(slot.folder, { recursive: true, force: true });
    return true;
  }

  /** Slots with an upload under way: not yet recorded as running here. */
  const deploying = new Set<string>();
  const lost = (userId: string, plugin: string): boolean => {
    const key = keyOf(userId, plugin);
    return sessions.get(userId, plugin)?.backendServer?.id === here.id && !slots.has(key) && !deploying.has(key);
  };
  // A slot whose session ended or moved to another replica stops here.
  const stopFollowing = sessions.onChange(() => {
    for (const key of slots.keys()) {
      const [userId, plugin] = key.split('\n') as [string, string];
      if (sessions.get(userId, plugin)?.backendServer?.id !== here.id && !deploying.has(key)) void end(userId, plugin);
    }
  });

  return {
    /** Called by the plugin backends feature once it runs: how slots make their runtimes. */
    attach(make: DevRuntimeFactory | undefined): void {
      factory = make;
    },
    /**
     * Writes `files` (paths inside backend/, checked by the route's contract: the SDK's DevBackendRequest) as a new
     * build of `userId`'s slot of `plugin` (the approved, active record) and starts it; resolves once it answers, or
     * with why it did not start. The previous build of the slot serves until then.
     */
    async deploy(
      userId: string,
      plugin: PluginRecord,
      files: Record<string, string>,
    ): Promise<{ ok: true; build: number; pid?: number } | { ok: false; reason: string }> {
      const entry = plugin.manifest?.backend?.entry;
      const make = factory;
      if (!make) return { ok: false, reason: 'plugin backends do not run on this server' };
      if (!entry)
        return { ok: false, reason: `"${plugin.name}" has no approved backend process (backend.entry) to replace` };
      const decoded = Object.entries(files).map(([file, base64]) => [file, Buffer.from(base64, 'base64')] as const);
      const bytes = decoded.reduce((sum, [, content]) => sum + content.length, 0);
      if (bytes > MAX_DEV_BACKEND_BYTES)
        return { ok: false, reason: `the backend files hold ${bytes} bytes, more than ${MAX_DEV_BACKEND_BYTES}` };
      if (!decoded.some(([file]) => file === entry))
        return { ok: false, reason: `the files have no ${entry}, the approved backend entry` };

      const key = keyOf(userId, plugin.name);
      deploying.add(key);
      try {
        return await deployAt(key, userId, plugin, decoded, make);
      } finally {
        deploying.delete(key);
      }
    },
    /**
     * The runtime serving `userId`'s calls to `plugin`, when that user has a dev slot of it here; undefined when they
     * have none anywhere (the approved backend serves them). Throws a 409 when it runs on another replica, or ran
     * on this one before a restart.
     */
    runtimeOf(userId: string, plugin: string): BackendRuntime | undefined {
      const holder = sessions.get(userId, plugin)?.backendServer;
      if (!holder) return undefined;
      const runtime = holder.id === here.id ? slots.get(keyOf(userId, plugin))?.runtime : undefined;
      if (runtime) return runtime;
      if (lost(userId, plugin))
        throw new HttpError(
          'conflict',
          `Your dev backend of "${plugin}" stopped when this server restarted: calls are refused rather than sent to the approved backend until backend/ is uploaded again (workbench-plugin dev does at its next heartbeat)`,
        );
      throw new HttpError(
        'conflict',
        `Your dev backend of "${plugin}" runs on server ${holder.label}, not on this one (${here.label}): calls reaching this server are refused rather than sent to the approved backend. Reach that server, or upload backend/ again (save a file there) to run it here`,
        { server: holder.label },
      );
    },
    /** True when `userId`'s slot of `plugin` ran on this server before it restarted, and was not uploaded since. */
    lost,
    /** Stops the slot's process and removes its folder; false when there was none. */
    end,
    async close(): Promise<void> {
      stopFollowing();
      await Promise.all([...slots.keys()].map((key) => end(...(key.split('\n') as [string, string]))));
    },
  };

  async function deployAt(
    key: string,
    userId: string,
    plugin: PluginRecord,
    decoded: (readonly [string, Buffer])[],
    make: DevRuntimeFactory,
  ): Promise<{ ok: true; build: number; pid?: number } | { ok: false; reason: string }> {
    const folder = path.join(root, createHash('sha256').update(key).digest('hex').slice(0, 16));
    const slot = slots.get(key) ?? { runtime: make(path.join(folder, 'data')), folder, builds: 0, serving: 0 };
    slots.set(key, slot);
    const build = ++slot.builds;
    const code = path.join(folder, `build-${build}`);
    for (const [file, content] of decoded) {
      mkdirSync(path.dirname(path.join(code, 'backend', file)), { recursive: true, mode: 0o755 });
      writeFileSync(path.join(code, 'backend', file), content, { mode: 0o644 });
    }
    const started = await slot.runtime.reload({
      ...plugin,
      codeDirectory: code,
      revision: `${plugin.revision}-dev-${build}`,
    });
    // A build that did not start stays on disk: its supervisor may still try it again, until the next upload.
    if (!started.ok) return { ok: false, reason: `the dev backend did not start: ${started.reason}` };
    for (let older = Math.max(slot.serving, 1); older < build; older++)
      rmSync(path.join(folder, `build-${older}`), { recursive: true, force: true });
    slot.serving = build;
    await sessions.holdBackend(userId, plugin.name, here);
    const pid = slot.runtime.active(plugin.name)?.instance.pid;
    return { ok: true, build, ...(pid ? { pid } : {}) };
  }
}
export type DevBackends = ReturnType<typeof createDevBackends>;
