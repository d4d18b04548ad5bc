import type { Logger } from 'pino';
import type { EnablementRules } from './enablement.ts';
import type { ApprovalLookup, CapabilityPolicy, PluginRecord } from './evaluate.ts';
import { evaluatePlugins } from './evaluate.ts';
import { keyHolders, type Precedence } from './conflicts.ts';
import type { HostFacts } from '@dbt-workbench/plugin-sdk/node/compatibility';
import { readCandidate, type PluginCandidate } from '@dbt-workbench/plugin-sdk/node/candidate';
import { findPluginDirectories } from './discovery.ts';
import type { DiscoveryLimits } from '@dbt-workbench/plugin-sdk/node/package-bounds';
import { reloadFailure, stillLastGood } from './last-good.ts';
import type { RejectionLookup } from './approvals.ts';
import { withFirstRejection } from './first-rejection.ts';
import type { ProtectedPaths } from '../sandbox/grant-rules.ts';
import type { Snapshots } from './snapshots.ts';
import type { RemotePinLookup } from './remote-pins/store.ts';
import { copyProblem } from '@dbt-workbench/plugin-sdk/node/verify';
import { DEFAULT_UI_TRUST, type UiTrust } from '../../shared/ui-trust.schema.ts';

export interface PluginRegistryOptions {
  pluginsDirectory: string;
  /** False in plugin-disabled mode: nothing is discovered and the registry stays empty. */
  enabled: boolean;
  host: HostFacts;
  /** Reads the admins' decisions afresh for each refresh: approvals and enablement rules. */
  loadRules(): Promise<{
    approvedCapabilities: ApprovalLookup;
    enablement: Map<string, EnablementRules>;
    configs: Map<string, Record<string, unknown>>;
    /** The remotes pinned at approval (remote-pins/store.ts). */
    remotePins?: RemotePinLookup;
    /** When each plugin was first installed through the installer: the earlier one keeps a clashing key. */
    installedAt?: ReadonlyMap<string, string>;
    /** Admins' UI trust choices (ui-trust/store.ts); a plugin without one is isolated. */
    uiTrust?: ReadonlyMap<string, UiTrust>;
    /** Admins' rejections of versions waiting for approval (approvals.ts): a rejected first version stops asking. */
    rejections?: RejectionLookup;
  }>;
  policy: CapabilityPolicy;
  workspaces: readonly string[];
  defaultEnabled: boolean;
  /** Folders no plugin may be granted (server/sandbox/grant-rules.ts). */
  protectedPaths?: ProtectedPaths;
  /** Where active revisions' files are kept, so a failed rebuild never breaks the running version. */
  snapshots?: Snapshots;
  /** What discovery reads of a plugin folder at most (PLUGIN_MAX_MANIFEST_KB and the package limits). */
  limits?: Partial<DiscoveryLimits>;
  logger: Logger;
  now?: () => Date;
}

/** A discovered plugin with the time its current state was decided. */
export interface RegisteredPlugin extends PluginRecord {
  discoveredAt: string;
  /** Where its `frontend/` and `static/` files are served from: a snapshot of the revision, or its folder. */
  assetsDirectory: string;
  /** How its UI runs: in sandboxed frames (`isolated`, the default) or in the shell's realm (`in-page`). */
  uiTrust: UiTrust;
}

/** Which plugins a refresh added, removed, or changed in state or build. */
export interface RegistryChange {
  plugins: string[];
}

export interface PluginRegistry {
  /** The folders no plugin may be granted, which install and update judge packages by too. */
  readonly protectedPaths?: ProtectedPaths;
  /** Discovers and evaluates every plugin again; returns the new list. */
  refresh(): Promise<readonly RegisteredPlugin[]>;
  list(): readonly RegisteredPlugin[];
  /**
   * The plugin with this name. With duplicate names (each copy invalid, but the one that was serving keeps its last
   * good record), that one, else the first folder in path order: a copied folder never stands in for the owner.
   */
  get(name: string): RegisteredPlugin | undefined;
  /** Active plugins only: those whose UI, routes and assets are served. */
  active(): readonly RegisteredPlugin[];
  /** Calls `listener` after each refresh that changed something; returns the unsubscribe function. */
  subscribe(listener: (change: RegistryChange) => void): () => void;
  /**
   * Adds a source of plugins kept disabled whatever their enablement rules, each with its reason (automatic
   * disables), read on every refresh; returns the function that removes it.
   */
  addDisabledReasons(source: () => Promise<ReadonlyMap<string, string>>): () => void;
}

/** Names of plugins whose presence, state, reason, revision, rules or UI trust level differ between two lists. */
export function changedPlugins(
  before: readonly (PluginRecord & { uiTrust?: UiTrust })[],
  after: readonly (PluginRecord & { uiTrust?: UiTrust })[],
): string[] {
  const key = (p: PluginRecord & { uiTrust?: UiTrust }) =>
    [
      p.state,
      p.reason ?? '',
      p.revision,
      p.directory,
      p.enabledWorkspaces.join(','),
      p.approvedCapabilities.join(','),
      JSON.stringify(p.config),
      p.reloadError?.reason ?? '',
      p.uiTrust ?? '',
    ].join('|');
  const old = new Map(before.map((p) => [p.name, key(p)]));
  const now = new Map(after.map((p) => [p.name, key(p)]));
  const names = new Set([...old.keys(), ...now.keys()]);
  return [...names].filter((name) => old.get(name) !== now.get(name)).sort();
}

/**
 * Who keeps a clashing key: the plugins of the previous refresh hold theirs, unless that refresh found them
 * invalid or incompatible (a plugin that lost a clash is incompatible); then the earlier install. A name stays
 * with the folder that was not invalid under it.
 */
function precedenceFrom(previous: readonly PluginRecord[], installedAt?: ReadonlyMap<string, string>): Precedence {
  const holders = previous.flatMap((p) =>
    p.manifest && p.state !== 'invalid' && p.state !== 'incompatible' ? [{ name: p.name, manifest: p.manifest }] : [],
  );
  const held = keyHolders(holders);
  const folders = new Map(previous.filter((p) => p.state !== 'invalid').map((p) => [p.name, p.directory]));
  return {
    heldBy: (key) => held.get(key),
    installedAt: (name) => installedAt?.get(name),
    heldIn: (name) => folders.get(name),
  };
}

/** Holds the plugins of one plugins directory and logs every discovery and state decision. */
export function createPluginRegistry(options: PluginRegistryOptions): PluginRegistry {
  const { logger } = options;
  const now = options.now ?? (() => new Date());
  let plugins: readonly RegisteredPlugin[] = [];
  const listeners = new Set<(change: RegistryChange) => void>();
  const disabledReasonSources = new Set<() => Promise<ReadonlyMap<string, string>>>();
  let running: Promise<readonly RegisteredPlugin[]> = Promise.resolve(plugins);
  let queued: Promise<readonly RegisteredPlugin[]> | undefined;
  /** Each plugin's last build that was active, as read from disk and as served: what a failed reload falls back to. */
  const lastGood = new Map<string, { candidate: PluginCandidate; record: RegisteredPlugin }>();

  /** Serves each active revision from its snapshot; keeps the last good build of every plugin (last-good.ts). */
  async function settle(
    records: RegisteredPlugin[],
    candidateOf: (record: PluginRecord) => PluginCandidate | undefined,
  ): Promise<RegisteredPlugin[]> {
    const settled = await Promise.all(
      records.map(async (r) => {
        if (r.state !== 'active' || !options.snapshots || r.reloadError) return r;
        try {
          const verified = r.signature?.status === 'verified';
          const assetsDirectory = await options.snapshots.ensure(r.name, r.revision, r.directory, verified);
          const changed =
            verified &&
            (await copyProblem(r.manifest?.signature, assetsDirectory, options.policy.signatures!.trustedKeys));
          if (changed) return { ...r, state: 'invalid' as const, reason: changed, enabledWorkspaces: [] };
          // A signed backend runs from the copy checked against its signature, never from the live folder.
          return verified ? { ...r, assetsDirectory, codeDirectory: assetsDirectory } : { ...r, assetsDirectory };
        } catch (error) {
          logger.warn({ err: error, plugin: r.name }, 'could not snapshot the plugin files; serving its folder');
          return r;
        }
      }),
    );
    const byName = new Map(settled.map((r) => [r.name, r]));
    for (const r of settled) {
      const candidate = candidateOf(r);
      if (r.state === 'active' && !r.reloadError && candidate) lastGood.set(r.name, { candidate, record: r });
    }
    for (const [name, good] of lastGood) {
      const now = byName.get(name);
      if (now === good.record || now?.reloadError) continue;
      if (!stillLastGood(now, good.record)) lastGood.delete(name);
    }
    if (options.snapshots) {
      for (const r of settled.filter((p) => p.state === 'active'))
        await options.snapshots.prune(r.name, [r.revision]).catch(() => {});
    }
    return settled;
  }

  function replace(next: readonly RegisteredPlugin[]): void {
    const changed = changedPlugins(plugins, next);
    plugins = next;
    if (changed.length === 0) return;
    for (const listener of listeners) {
      try {
        listener({ plugins: changed });
      } catch (error) {
        logger.error({ err: error }, 'a plugin registry listener failed');
      }
    }
  }

  /**
   * Evaluates the builds on disk; where a plugin's new build failed to reload, evaluates its last good build in its
   * place, with the same rules: the admin's switches (enable, disable, per workspace), approvals and configuration
   * decide whether the build in force runs, whichever build that is. Records keep the candidates' order.
   */
  function withLastGood(
    candidates: readonly PluginCandidate[],
    evaluate: (candidates: readonly PluginCandidate[]) => PluginRecord[],
  ): { records: PluginRecord[]; inForce: Map<string, PluginCandidate> } {
    const first = evaluate(candidates);
    const failures = first.map((r) => reloadFailure(r, lastGood.get(r.name)?.record));
    const inForceList = candidates.map((c, i) => (failures[i] ? lastGood.get(first[i]!.name)!.candidate : c));
    const inForce = new Map(inForceList.map((c) => [c.directory, c]));
    if (!failures.some(Boolean)) return { records: first, inForce };
    const records = evaluate(inForceList).map((r, i) => {
      const failure = failures[i];
      return failure ? { ...r, reloadError: failure } : r;
    });
    return { records, inForce };
  }

  async function discover(): Promise<readonly RegisteredPlugin[]> {
    if (!options.enabled) {
      logger.info('plugin system disabled (PLUGIN_SYSTEM_ENABLED=false): no plugins discovered');
      replace([]);
      return plugins;
    }
    const started = performance.now();
    const directories = await findPluginDirectories(options.pluginsDirectory, logger);
    const candidates = await Promise.all(directories.map((directory) => readCandidate(directory, options.limits)));
    const at = now().toISOString();
    const rules = await options.loadRules();
    const disabledReasons = await Promise.all([...disabledReasonSources].map((source) => source()));
    const evaluate = (candidates: readonly PluginCandidate[]) =>
      evaluatePlugins({
        candidates,
        host: options.host,
        approvedCapabilities: rules.approvedCapabilities,
        enablement: (name) => rules.enablement.get(name),
        storedConfig: (name) => rules.configs.get(name),
        policy: options.policy,
        workspaces: options.workspaces,
        defaultEnabled: options.defaultEnabled,
        autoDisabled: (name) => disabledReasons.find((reasons) => reasons.has(name))?.get(name),
        ...(rules.remotePins ? { remotePins: rules.remotePins } : {}),
        protectedPaths: options.protectedPaths,
        precedence: precedenceFrom(plugins, rules.installedAt),
      });
    const { records: evaluated, inForce } = withLastGood(candidates, evaluate);
    const rejectionOf = rules.rejections;
    const records = rejectionOf ? evaluated.map((r) => withFirstRejection(r, rejectionOf)) : evaluated;
    const previous = new Map(plugins.map((p) => [p.name, p]));
    const uiTrustOf = (name: string) => rules.uiTrust?.get(name) ?? DEFAULT_UI_TRUST;
    const stamped = records.map((r): RegisteredPlugin => {
      const before = previous.get(r.name);
      // An unchanged plugin keeps the time its state was decided.
      const same = before && changedPlugins([before], [{ ...r, uiTrust: before.uiTrust }]).length === 0;
      // A build kept in force serves the files (and signed code) of its snapshot, whatever the folder holds now.
      const kept = r.reloadError ? lastGood.get(r.name)?.record : undefined;
      return {
        ...r,
        discoveredAt: same ? before.discoveredAt : at,
        assetsDirectory: kept?.assetsDirectory ?? r.directory,
        ...(kept?.codeDirectory ? { codeDirectory: kept.codeDirectory } : {}),
        uiTrust: uiTrustOf(r.name),
      };
    });
    const next = await settle(stamped, (r) => inForce.get(r.directory));
    const changed = new Set(changedPlugins(plugins, next));
    replace(next);
    for (const p of plugins.filter((plugin) => changed.has(plugin.name))) {
      const facts = {
        plugin: p.name,
        version: p.manifest?.version,
        directory: p.directory,
        state: p.state,
        reason: p.reason,
      };
      if (p.reloadError)
        logger.warn({ ...facts, failed: p.reloadError }, 'plugin reload failed: the last good version keeps running');
      else if (p.state === 'active') logger.info(facts, 'plugin discovered: active');
      else logger.warn({ ...facts, problems: p.problems }, `plugin discovered: ${p.state}`);
      for (const w of p.warnings) logger.warn({ plugin: p.name, field: w.field, rule: w.rule }, w.message);
    }
    for (const name of [...changed].filter((n) => !plugins.some((p) => p.name === n))) {
      logger.info({ plugin: name }, 'plugin removed: its folder is gone');
    }
    logger.info(
      {
        pluginsDirectory: options.pluginsDirectory,
        count: plugins.length,
        ms: Math.round(performance.now() - started),
      },
      'plugin discovery finished',
    );
    return plugins;
  }

  /**
   * Refreshes one at a time: a refresh asked for while one runs starts after it. Every request made before that next
   * refresh starts shares it, so a burst of changes (a bulk enable of 50 plugins) costs two discoveries, not 50.
   */
  function refresh(): Promise<readonly RegisteredPlugin[]> {
    if (queued) return queued;
    const start = () => {
      queued = undefined;
      return discover();
    };
    queued = running = running.then(start, start);
    return queued;
  }

  return {
    protectedPaths: options.protectedPaths,
    refresh,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    addDisabledReasons(source) {
      disabledReasonSources.add(source);
      return () => disabledReasonSources.delete(source);
    },
    list: () => plugins,
    get: (name) =>
      plugins.find((p) => p.name === name && p.state !== 'invalid') ?? plugins.find((p) => p.name === name),
    active: () => plugins.filter((p) => p.state === 'active'),
  };
}
