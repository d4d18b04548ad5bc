import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import type { PluginTrigger } from '@dbt-workbench/plugin-sdk/contracts/sandbox.schema';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Disposer } from '../hooks/hook-point.ts';
import type { RunService } from '../runs/service.ts';
import type { Workspace } from '../workspaces/config.ts';
import type { PluginTriggerView, TriggerWebhookAnswer } from '../../shared/plugin-triggers.schema.ts';

/** One trigger of a plugin's running backend, as the sandbox hands it over. */
export interface TriggerEntry {
  plugin: string;
  definition: PluginTrigger;
  /** Whether the plugin is enabled in the trigger's workspace (and, after a run, in the upstream one). */
  enabled(): boolean;
  /** Asks the plugin's check; resolves with its answer. */
  check(payload: Record<string, unknown>): Promise<unknown>;
}

/** What the scheduler feature opens the triggers with. */
export interface TriggerDeps {
  runs: Pick<RunService, 'start' | 'hooks'>;
  workspaces: readonly Workspace[];
  audit: Pick<AuditLog, 'record'>;
  logger: Logger;
  /** PLUGIN_TRIGGER_MIN_INTERVAL_MS: one run per trigger at most this often. */
  minIntervalMs: number;
  /** Signs webhook tokens, so they hold across restarts. */
  secret: string;
}

/** Plugins' scheduler triggers (SPEC 4.5): follow the backends (`set`), start rate-limited, audited runs. */
export interface PluginTriggers {
  /** Replaces a plugin's triggers (none: its backend stopped, or the plugin was disabled). */
  set(plugin: string, entries: readonly TriggerEntry[]): void;
  /** The triggers of a workspace whose plugin is enabled there; `withWebhooks` adds URLs and tokens. */
  list(workspace: string, withWebhooks: boolean): PluginTriggerView[];
  /** A call to a webhook trigger's URL; undefined for an unknown trigger or a wrong token. */
  webhook(
    at: { plugin: string; workspace: string; name: string },
    token: string,
    body: unknown,
  ): Promise<TriggerWebhookAnswer | undefined>;
  open(deps: TriggerDeps): void;
  close(): void;
}

interface State {
  entry: TriggerEntry;
  runsStarted: number;
  lastRun: PluginTriggerView['lastRun'];
  skipped: number;
  lastSkip: PluginTriggerView['lastSkip'];
  lastStartAt: number;
  timer?: NodeJS.Timeout;
}

/** The decision a check answered: `true` or nothing runs, `false` or `{ run: false }` does not. Pure. */
export function decisionOf(answer: unknown): { run: boolean; reason: string | null } {
  if (answer === false) return { run: false, reason: null };
  if (answer && typeof answer === 'object' && 'run' in answer) {
    const { run, reason } = answer as { run: unknown; reason?: unknown };
    return { run: run !== false, reason: typeof reason === 'string' ? reason.slice(0, 500) : null };
  }
  return { run: true, reason: null };
}

export function createPluginTriggers(): PluginTriggers {
  const states = new Map<string, State>();
  /** Runs a trigger started that have not ended: run id to trigger id. */
  const inFlight = new Map<string, string>();
  let deps: TriggerDeps | undefined;
  let unlisten: Disposer | undefined;

  // A plugin may add a trigger of the same name in each of its workspaces.
  const keyOf = (plugin: string, workspace: string, name: string) => JSON.stringify([plugin, workspace, name]);
  const keyOfEntry = (e: TriggerEntry) => keyOf(e.plugin, e.definition.workspace, e.definition.name);
  const tokenOf = (key: string) =>
    createHmac('sha256', deps!.secret).update(`workbench-trigger:${key}`).digest('base64url');

  function skip(state: State, reason: string): TriggerWebhookAnswer {
    state.skipped += 1;
    state.lastSkip = { at: new Date().toISOString(), reason };
    deps?.logger.info(
      { plugin: state.entry.plugin, trigger: state.entry.definition.name },
      `trigger skipped: ${reason}`,
    );
    return { started: false, reason };
  }

  async function fire(key: string, payload: Record<string, unknown>): Promise<TriggerWebhookAnswer> {
    const state = states.get(key);
    if (!state || !deps) return { started: false, reason: 'the trigger is gone' };
    const { entry } = state;
    const { name, workspace: target, when } = entry.definition;
    const id = `${entry.plugin}.${name}`;
    const workspace = deps.workspaces.find((w) => w.name === target);
    if (!workspace || !entry.enabled()) return skip(state, `${entry.plugin} is not enabled in ${target}`);
    if ([...inFlight.values()].includes(key)) return skip(state, 'its previous run has not ended');
    const wait = state.lastStartAt + deps.minIntervalMs - Date.now();
    if (wait > 0)
      return skip(state, `rate limited: one run per ${deps.minIntervalMs / 1000} s (${Math.ceil(wait / 1000)} s left)`);
    let decision;
    try {
      decision = decisionOf(await entry.check({ workspace: target, trigger: name, kind: when.kind, ...payload }));
    } catch (error) {
      return skip(state, `its check failed: ${(error as Error).message}`);
    }
    if (!decision.run) return { started: false, reason: decision.reason ?? 'its check said no' };
    state.lastStartAt = Date.now();
    const run = await deps.runs.start(workspace, { kind: 'plugin', plugin: entry.plugin, trigger: name });
    inFlight.set(run.id, key);
    state.runsStarted += 1;
    state.lastRun = { id: run.id, at: run.createdAt, reason: decision.reason };
    await deps.audit.record({
      actor: null,
      action: 'trigger.run',
      target: id,
      workspace: target,
      details: { plugin: entry.plugin, trigger: name, kind: when.kind, run: run.id, reason: decision.reason },
    });
    deps.logger.info({ plugin: entry.plugin, trigger: name, run: run.id }, `trigger ${id} started a run`);
    return { started: true, runId: run.id };
  }

  const fireLogged = (key: string, payload: Record<string, unknown>) =>
    void fire(key, payload).catch((error: unknown) =>
      deps?.logger.error({ err: error, trigger: key }, 'a plugin trigger could not start a run'),
    );

  function arm(key: string, state: State): void {
    const { when } = state.entry.definition;
    if (!deps || when.kind !== 'source-stale' || state.timer) return;
    state.timer = setInterval(() => fireLogged(key, { source: when.source }), when.everySeconds * 1000);
    state.timer.unref();
  }

  function drop(key: string): void {
    clearInterval(states.get(key)?.timer);
    states.delete(key);
  }

  return {
    set(plugin, entries) {
      const wanted = new Map(entries.map((e) => [keyOfEntry(e), e]));
      for (const [key, state] of states) if (state.entry.plugin === plugin && !wanted.has(key)) drop(key);
      for (const [key, entry] of wanted) {
        const existing = states.get(key);
        // A new process registers its triggers again: keep the counts, follow a changed definition.
        if (existing && JSON.stringify(existing.entry.definition) !== JSON.stringify(entry.definition)) {
          clearInterval(existing.timer);
          existing.timer = undefined;
        }
        const state: State = existing
          ? { ...existing, entry }
          : { entry, runsStarted: 0, lastRun: null, skipped: 0, lastSkip: null, lastStartAt: 0 };
        states.set(key, state);
        arm(key, state);
      }
    },

    list(workspace, withWebhooks) {
      return [...states.entries()]
        .filter(([, s]) => s.entry.definition.workspace === workspace && s.entry.enabled())
        .map(([key, s]): PluginTriggerView => {
          const { name, title, when } = s.entry.definition;
          const webhookUrl = `/api/triggers/${[s.entry.plugin, workspace, name].map(encodeURIComponent).join('/')}/webhook`;
          return {
            id: `${s.entry.plugin}.${name}`,
            plugin: s.entry.plugin,
            name,
            title: title ?? name,
            workspace,
            when,
            ...(withWebhooks && when.kind === 'webhook' ? { webhook: { url: webhookUrl, token: tokenOf(key) } } : {}),
            runsStarted: s.runsStarted,
            lastRun: s.lastRun,
            skipped: s.skipped,
            lastSkip: s.lastSkip,
          };
        })
        .sort((a, b) => a.id.localeCompare(b.id));
    },

    async webhook(at, token, body) {
      const key = keyOf(at.plugin, at.workspace, at.name);
      const state = states.get(key);
      if (!state || !deps || state.entry.definition.when.kind !== 'webhook' || !state.entry.enabled()) return undefined;
      const want = Buffer.from(tokenOf(key));
      const got = Buffer.from(token);
      if (got.length !== want.length || !timingSafeEqual(got, want)) return undefined;
      return fire(key, { body });
    },

    open(given) {
      deps = given;
      unlisten = given.runs.hooks.runComplete.register({
        owner: 'plugin-triggers',
        handle: ({ workspace, run, status }) => {
          inFlight.delete(run.id);
          if (status !== 'success') return;
          for (const [key, state] of states) {
            const { when } = state.entry.definition;
            if (when.kind === 'after-run' && when.upstream === workspace.name) fireLogged(key, { upstreamRun: run });
          }
        },
      });
      for (const [key, state] of states) arm(key, state);
    },

    close() {
      unlisten?.();
      for (const state of states.values()) {
        clearInterval(state.timer);
        state.timer = undefined;
      }
      deps = undefined;
    },
  };
}
