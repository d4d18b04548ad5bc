import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Capability } from '@dbt-workbench/plugin-sdk/contracts/capabilities';
import type { PluginRecord } from '../plugins/evaluate.ts';
import type { Workspace } from '../workspaces/config.ts';
import { refusedGrant, refusedLink, realPathOf, resolveGrants, type ProtectedPaths } from './grant-rules.ts';
import type { SandboxSupport } from './layers.ts';
import { CGROUP_HEADROOM_MB, planLaunch, prepareDataDir, prepareWriteDir, type SandboxGrant } from './spawn.ts';
import type { LaunchSpec } from './supervisor.ts';

/** The runtime's settings (see server/sandbox/settings.ts for the environment variables). */
export interface SandboxSettings {
  timeoutMs: number;
  memoryMb: number;
  /** First user id of the range plugin backends run as (one per plugin). */
  uidBase: number;
  /** Plugins that keep the network (no private network namespace). */
  networkAllowed: readonly string[];
  dataDirectory: string;
  /** Largest route answer, in bytes. */
  maxBodyBytes: number;
  /** Requests per second per plugin, and the burst above that. */
  ratePerSecond: number;
  rateBurst: number;
  /** How long calls in a process being stopped or replaced may take to finish (PLUGIN_DRAIN_MS); 10 s when absent. */
  drainMs?: number;
}

/** Changes whenever a file under the plugin's `backend/` folder changes (path, size or time). */
export function backendHash(directory: string): string {
  const hash = createHash('sha256');
  const walk = (dir: string, depth: number) => {
    if (depth > 6) return;
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name === 'node_modules') continue;
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file, depth + 1);
      else {
        const s = statSync(file);
        hash.update(`${path.relative(directory, file)}:${s.size}:${s.mtimeMs}\n`);
      }
    }
  };
  const backend = path.join(directory, 'backend');
  if (existsSync(backend)) walk(backend, 0);
  return hash.digest('hex').slice(0, 10);
}

/** What launching needs besides the plugin: settings, the machine's layers, workspaces, a user id. */
export interface SpecContext {
  settings: SandboxSettings;
  support: SandboxSupport;
  workspaces: readonly Workspace[];
  execPath: string;
  uid: number;
  env: NodeJS.ProcessEnv;
  /** Folders no grant may reach; judged again at launch, as a symlink may have changed since discovery. */
  protectedPaths?: ProtectedPaths;
}

/** The folders a backend may read and write beyond its own, or the first grant refused. */
function folderGrants(
  record: PluginRecord,
  context: SpecContext,
): { ok: true; read: string[]; write: string[] } | { ok: false; reason: string } {
  const grants = resolveGrants(record.manifest!, record.directory);
  const rules = context.protectedPaths;
  if (rules) {
    const own = realPathOf(record.directory);
    for (const grant of grants) {
      const refused = refusedGrant(grant, own, rules, record.name);
      if (refused) return { ok: false, reason: refused };
    }
    const link = refusedLink(record.directory, rules, record.name);
    if (link) return { ok: false, reason: link };
  }
  // Folders that do not exist yet are granted too: a run creates a workspace's target/, an admin an export folder.
  return {
    ok: true,
    read: grants.filter((g) => g.access === 'read').map((g) => g.real),
    write: grants.filter((g) => g.access === 'write').map((g) => g.real),
  };
}

/** Decides how an active plugin's `backend.entry` runs, or says why it cannot. */
export function launchSpecFor(
  record: PluginRecord,
  context: SpecContext,
): { ok: true; spec: LaunchSpec } | { ok: false; reason: string } {
  const manifest = record.manifest;
  const entry = manifest?.backend?.entry;
  if (!manifest || !entry) return { ok: false, reason: 'the plugin has no backend entry' };
  const codeDirectory = record.codeDirectory ?? record.directory;
  const entryPath = path.join(codeDirectory, 'backend', entry);
  if (!existsSync(entryPath)) return { ok: false, reason: `backend/${entry} does not exist` };
  const folders = folderGrants(record, context);
  if (!folders.ok) return folders;
  const { settings, support } = context;
  const approved = new Set<Capability>(record.approvedCapabilities);
  const timeoutMs = manifest.backend?.limits?.timeoutMs ?? settings.timeoutMs;
  const memoryMb = manifest.backend?.limits?.memoryMb ?? settings.memoryMb;
  const readsMetadata = approved.has('read-metadata');
  const env: Record<string, string> = {};
  if (approved.has('access-environment-config')) {
    for (const name of manifest.permissions?.env ?? []) {
      const value = context.env[name];
      if (value !== undefined) env[name] = value;
    }
  }
  // A backend sees only the workspaces where its plugin is enabled; a change there starts a new process.
  const workspaces = context.workspaces.filter((w) => record.enabledWorkspaces.includes(w.name));
  const targets = readsMetadata ? workspaces.map((w) => w.targetDir) : [];
  const network = settings.networkAllowed.includes(record.name) ? 'any' : (manifest.permissions?.network ?? []);
  const dataDir = path.join(settings.dataDirectory, 'plugins', record.name);
  const grant: SandboxGrant = {
    plugin: record.name,
    pluginDir: codeDirectory,
    dataDir,
    readDirs: [...folders.read, ...targets],
    writeDirs: folders.write,
    env,
    memoryMb,
    network,
    uid: context.uid,
  };
  mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o711 });
  const plan = planLaunch(grant, support, context.execPath);
  prepareDataDir(dataDir, plan.uid);
  for (const dir of folders.write.filter(existsSync)) prepareWriteDir(dir, plan.uid);
  const granted = createHash('sha256')
    .update(JSON.stringify([plan.args, Object.keys(env), [...approved].sort(), workspaces.map((w) => w.name)]))
    .digest('hex')
    .slice(0, 10);
  return {
    ok: true,
    spec: {
      revision: `${record.revision}+${backendHash(codeDirectory)}+${granted}`,
      approved,
      plan,
      layers: plan.layers,
      timeoutMs,
      memoryMb,
      watchdogMb: support.procStatm.ok ? memoryMb + CGROUP_HEADROOM_MB : null,
      init: {
        type: 'init',
        plugin: record.name,
        version: manifest.version,
        entry: entryPath,
        dataDir,
        capabilities: [...approved],
        workspaces: workspaces.map((w) => ({
          name: w.name,
          title: w.title,
          ...(readsMetadata ? { targetDir: w.targetDir } : {}),
        })),
        network: network === 'any' ? null : [...network],
        maxResultBytes: settings.maxBodyBytes,
      },
    },
  };
}
