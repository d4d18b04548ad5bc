import path from 'node:path';
import type { Logger } from 'pino';
import type {
  ArtifactError,
  ArtifactInfo,
  CatalogStatus,
  HookReport,
} from '@dbt-workbench/plugin-sdk/contracts/catalog.schema';
import type { HookOutcome, HookPoint } from '../hooks/hook-point.ts';
import {
  createCatalogSearchIndex,
  emptySearchIndex,
  extensionDocuments,
  type CatalogSearchIndex,
} from '../search/search-index.ts';
import type { Workspace } from '../workspaces/config.ts';
import { ARTIFACT_FILES, type ArtifactHeader, type ArtifactKind } from './artifacts/parse.ts';
import { readArtifact, yieldToLoop, type ParsedArtifacts } from './artifacts/read.ts';
import type { CatalogHooks } from './hooks.ts';
import { buildProjectIndex } from './project/build-index.ts';
import { emptyIndex, type ProjectIndex } from './project/project-index.ts';
import { applyPatches } from './patches.ts';
import { watchArtifacts } from './watcher.ts';

/**
 * One workspace's artifacts, index and search, kept current with its target folder. Reads are synchronous
 * and always answer from the last good load; loads run in the background, one at a time.
 */
export interface ArtifactStore {
  readonly workspace: string;
  readonly targetDir: string;
  /** The index being served: the last good load, or an empty index (`builtAt` null) before the first. */
  index(): ProjectIndex;
  /** The search index built with `index()`. */
  searchIndex(): CatalogSearchIndex;
  /** Loaded files, errors, counts and the last run of each extension handler. */
  status(): CatalogStatus;
  /** Reads the files that changed on disk (all of them with `force`) and rebuilds if any did. */
  reload(options?: { force?: boolean }): Promise<void>;
  /** Rebuilds the index and search from the files already read: run after an extension handler came or went. */
  rebuild(): Promise<void>;
  /** Loads once and starts watching the target folder. Resolves after the first load. */
  start(): Promise<void>;
  /** Stops watching; waits for a load in progress. */
  close(): Promise<void>;
}

/** What a store needs: its workspace, the shared hooks, and timing knobs for tests. */
export interface ArtifactStoreOptions {
  workspace: Pick<Workspace, 'name' | 'targetDir'>;
  hooks: CatalogHooks;
  logger?: Logger;
  /** Quiet time after a change on disk before reloading; 250 ms by default. */
  debounceMs?: number;
  /** Also check the files this often (ms), for file systems without change events; 5 s by default, 0: never. */
  pollMs?: number;
  /** Watch the target folder at all; true by default. */
  watch?: boolean;
  /** Longest time the handlers of one hook point may take together before the load goes on without them. */
  hookTimeoutMs?: number;
  now?: () => Date;
}

interface Slot<K extends ArtifactKind> {
  stamp: string | null;
  value: ParsedArtifacts[K] | null;
  info: ArtifactInfo | null;
  error: ArtifactError | null;
}

const KINDS: readonly ArtifactKind[] = ['manifest', 'catalog', 'runResults'];

function info(kind: ArtifactKind, header: ArtifactHeader, at: string): ArtifactInfo {
  return {
    file: ARTIFACT_FILES[kind],
    schemaVersion: header.schemaVersion,
    dbtVersion: header.dbtVersion,
    generatedAt: header.generatedAt,
    loadedAt: at,
    warnings: header.warnings,
  };
}

async function runWithTimeout<P, R>(
  hook: HookPoint<P, R>,
  payload: P,
  ms: number,
): Promise<{ outcomes: HookOutcome<R>[]; timedOut: boolean }> {
  if (hook.size() === 0) return { outcomes: [], timedOut: false };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  const outcomes = await Promise.race([hook.run(payload), timeout]);
  clearTimeout(timer);
  return outcomes ? { outcomes, timedOut: false } : { outcomes: [], timedOut: true };
}

function timeoutReport(hook: string, ms: number): HookReport {
  return { hook, owner: '(all handlers)', ok: false, error: `did not finish within ${ms} ms; ignored`, ms };
}

/** Creates the store of one workspace. Call `start()` to load and watch. */
export function createArtifactStore(options: ArtifactStoreOptions): ArtifactStore {
  const workspace = options.workspace.name;
  const targetDir = options.workspace.targetDir;
  const { hooks } = options;
  const now = options.now ?? (() => new Date());
  const hookTimeoutMs = options.hookTimeoutMs ?? 30_000;
  const logger = options.logger?.child({ component: 'catalog', workspace });
  /** The target folder's name for messages users see; the full path only goes to the log. */
  const folder = path.basename(targetDir);

  const slots: { [K in ArtifactKind]: Slot<K> } = {
    manifest: { stamp: null, value: null, info: null, error: null },
    catalog: { stamp: null, value: null, info: null, error: null },
    runResults: { stamp: null, value: null, info: null, error: null },
  };
  let started = false;
  let loaded = false;
  let current: { index: ProjectIndex; search: CatalogSearchIndex } = {
    index: emptyIndex(workspace),
    search: emptySearchIndex,
  };
  let hookReports: HookReport[] = [];
  let loadMs: number | null = null;
  let stopWatching: (() => void) | null = null;

  // Loads run one at a time; requests made while one waits to start join it (their flags add up).
  interface Flags {
    read: boolean;
    force: boolean;
    rebuild: boolean;
  }
  let chain: Promise<void> = Promise.resolve();
  let pending: Promise<void> | null = null;
  let flags: Flags = { read: false, force: false, rebuild: false };
  function schedule(wanted: Partial<Flags>): Promise<void> {
    flags = {
      read: flags.read || !!wanted.read,
      force: flags.force || !!wanted.force,
      rebuild: flags.rebuild || !!wanted.rebuild,
    };
    if (pending) return pending;
    const run = chain.then(async () => {
      pending = null;
      const taken = flags;
      flags = { read: false, force: false, rebuild: false };
      await load(taken);
    });
    pending = run;
    chain = run.catch((error: unknown) => logger?.error({ err: error }, 'catalog load failed'));
    return run;
  }

  async function readAll(force: boolean): Promise<boolean> {
    let changed = false;
    for (const kind of KINDS) {
      const slot = slots[kind] as Slot<typeof kind>;
      const result = await readArtifact(targetDir, kind, force ? null : slot.stamp);
      const at = now().toISOString();
      const file = ARTIFACT_FILES[kind];
      switch (result.state) {
        case 'unchanged':
          break;
        case 'missing':
          if (kind === 'manifest' && slot.value) {
            // `dbt clean` or a rewrite in progress: keep serving what was loaded.
            slot.error = {
              file,
              message: `${file} is missing from the project's ${folder}/ folder; the last good load is still shown`,
              at,
              problems: [],
            };
            slot.stamp = null;
          } else if (slot.value || slot.error || slot.stamp) {
            Object.assign(slot, { stamp: null, value: null, info: null, error: null });
            changed = true;
          }
          break;
        case 'error':
          if (slot.error?.message !== result.message) {
            logger?.warn({ file, targetDir, problems: result.problems.slice(0, 5) }, result.message);
          }
          slot.stamp = result.stamp;
          slot.error = { file, message: result.message, at, problems: result.problems };
          break;
        case 'ok':
          Object.assign(slot, { stamp: result.stamp, value: result.value, error: null });
          slot.info = info(kind, result.value, at);
          changed = true;
          break;
      }
      await yieldToLoop();
    }
    return changed;
  }

  async function build(reason: 'load' | 'rebuild'): Promise<void> {
    const manifest = slots.manifest.value;
    if (!manifest) {
      current = { index: emptyIndex(workspace), search: emptySearchIndex };
      hookReports = [];
      return;
    }
    const started = performance.now();
    const base = buildProjectIndex({
      workspace,
      manifest,
      catalog: slots.catalog.value,
      runResults: slots.runResults.value,
      now: now(),
    });
    await yieldToLoop();
    const reports: HookReport[] = [];

    const load = await runWithTimeout(hooks.artifactLoad, { workspace, index: base }, hookTimeoutMs);
    if (load.timedOut) reports.push(timeoutReport('artifactLoad', hookTimeoutMs));
    const patched = await applyPatches(base, load.outcomes);
    reports.push(...patched.reports);
    const index = patched.index;

    const searchBuild = await runWithTimeout(hooks.searchIndexBuild, { workspace, index }, hookTimeoutMs);
    if (searchBuild.timedOut) reports.push(timeoutReport('searchIndexBuild', hookTimeoutMs));
    const extra = extensionDocuments(searchBuild.outcomes, index);
    reports.push(...extra.reports);
    const search = await createCatalogSearchIndex(index, extra.documents);

    current = { index, search };
    loadMs = Math.round(performance.now() - started);
    const refresh = await runWithTimeout(
      hooks.catalogRefresh,
      { workspace, index, searchDocuments: search.size, reason },
      hookTimeoutMs,
    );
    if (refresh.timedOut) reports.push(timeoutReport('catalogRefresh', hookTimeoutMs));
    for (const outcome of refresh.outcomes) {
      reports.push({
        hook: 'catalogRefresh',
        owner: outcome.owner,
        ok: outcome.ok,
        ms: Math.round(outcome.ms * 100) / 100,
        ...(outcome.error ? { error: outcome.error } : {}),
      });
    }
    hookReports = reports;
    for (const report of reports.filter((r) => !r.ok)) {
      logger?.warn({ hook: report.hook, owner: report.owner }, `catalog extension failed: ${report.error}`);
    }
    logger?.info(
      { nodes: index.nodes.size, tests: index.tests.size, searchDocuments: search.size, ms: loadMs, reason },
      'catalog index built',
    );
  }

  async function load(wanted: Flags): Promise<void> {
    const changed = wanted.read ? await readAll(wanted.force) : false;
    const first = wanted.read && !loaded;
    if (changed || first) await build('load');
    else if (wanted.rebuild) await build('rebuild');
    if (wanted.read) loaded = true;
  }

  const store: ArtifactStore = {
    workspace,
    targetDir,
    index: () => current.index,
    searchIndex: () => current.search,
    status() {
      const errors = KINDS.map((k) => slots[k].error).filter((e): e is ArtifactError => e !== null);
      const index = current.index;
      const state = !loaded ? 'loading' : errors.length > 0 ? 'error' : slots.manifest.value ? 'ready' : 'missing';
      return {
        workspace,
        state,
        message:
          state === 'missing'
            ? `No manifest.json in the project's ${folder}/ folder yet: run dbt (for example dbt docs generate) in the project`
            : state === 'error'
              ? errors.map((e) => e.message).join('; ')
              : null,
        loadedAt: index.builtAt,
        loadMs,
        projectName: index.projectName,
        artifacts: {
          manifest: slots.manifest.info,
          catalog: slots.catalog.info,
          runResults: slots.runResults.info,
        },
        counts: { nodes: index.nodes.size, tests: index.tests.size, searchDocuments: current.search.size },
        errors,
        hooks: hookReports,
      };
    },
    reload: (opts) => schedule({ read: true, force: opts?.force ?? false }),
    rebuild: () => schedule({ rebuild: true }),
    async start() {
      if (started) return chain;
      started = true;
      await schedule({ read: true, force: true });
      if (options.watch ?? true) {
        stopWatching = watchArtifacts({
          dir: targetDir,
          files: Object.values(ARTIFACT_FILES),
          debounceMs: options.debounceMs ?? 250,
          pollMs: options.pollMs ?? 5_000,
          logger,
          onChange: () => void store.reload(),
        });
      }
    },
    async close() {
      stopWatching?.();
      stopWatching = null;
      await chain;
    },
  };
  return store;
}
