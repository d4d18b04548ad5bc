import type { ToolCallEvent } from '@dbt-workbench/plugin-sdk';
import type { Logger } from 'pino';
import type { RegisteredPlugin } from '../plugins/registry.ts';
import type { Registration, Registrations } from '../sandbox/registrations.ts';
import type { BackendRuntime } from '../sandbox/runtime.ts';

type HookPoint = 'tool-before' | 'tool-after' | 'tool-error';

/** A plugin's hook around tool calls, ready to be called. */
interface ToolHook {
  plugin: string;
  /** The registrations it was found in (of the running process, or of the last run while the backend is idle). */
  registrations: Registrations;
  registration: Registration;
}

/**
 * The hooks of `point` that apply in `workspace`: of plugins active and enabled there, with `intercept-tool-calls`
 * approved and a backend that registered them (started when idle); lower priority first, then plugin order.
 */
async function hooksOf(
  plugins: readonly RegisteredPlugin[],
  runtime: BackendRuntime,
  workspace: string,
  point: HookPoint,
): Promise<ToolHook[]> {
  const hooks: ToolHook[] = [];
  for (const plugin of plugins) {
    if (plugin.state !== 'active' || !plugin.enabledWorkspaces.includes(workspace)) continue;
    if (!plugin.approvedCapabilities.includes('intercept-tool-calls')) continue;
    // Unknown only while its build starts for the first time: a policy is waited for, never skipped.
    const registrations = runtime.registrations(plugin.name) ?? (await runtime.ready(plugin.name))?.registrations;
    if (!registrations) continue;
    for (const registration of registrations.of(point))
      hooks.push({ plugin: plugin.name, registrations, registration });
  }
  return hooks.sort((a, b) => a.registration.priority - b.registration.priority);
}

/** Why a before-call hook refused, from its answer `{refuse: "reason"}`; undefined when it let the call through. */
function refusalOf(answer: unknown): string | undefined {
  if (!answer || typeof answer !== 'object') return undefined;
  const reason = (answer as { refuse?: unknown }).refuse;
  if (reason === undefined || reason === null || reason === false) return undefined;
  return String(reason).slice(0, 500) || 'no reason given';
}

type HookOutcome = { answer: unknown } | { failure: string };

/** The refusal of a hook that could not decide, when it asked for that (`onFailure: 'refuse'`). Pure. */
function failureRefusal(hook: ToolHook, failure: string): string | undefined {
  if (hook.registration.onFailure !== 'refuse') return undefined;
  return `its policy could not decide (${failure.slice(0, 300)}), and it refuses calls then`;
}

export interface ToolHooks {
  /** Runs the before-call hooks in order; the first refusal wins: `{plugin, reason}`. */
  before(event: ToolCallEvent): Promise<{ plugin: string; reason: string } | undefined>;
  /** Tells the after-call hooks (not awaited by the caller: an audit plugin cannot slow calls down). */
  after(event: ToolCallEvent & { result: unknown; durationMs: number }): void;
  /** Tells the on-error hooks, not awaited either. */
  error(event: ToolCallEvent & { error: { code: string; message: string } }): void;
}

/**
 * Hooks around tool calls for plugins with `intercept-tool-calls`. A hook that fails or times out is logged and
 * counted in its plugin's diagnostics. By default it does not stop the call, so that a broken observer cannot take
 * every tool down; a before-call hook registered with `onFailure: 'refuse'` (a policy that must hold) refuses it.
 */
export function createToolHooks(deps: {
  plugins: () => readonly RegisteredPlugin[];
  runtime: () => BackendRuntime | undefined;
  logger: Logger;
}): ToolHooks {
  /** The hook's answer, or why it gave none (it threw, passed its deadline, or its backend could not start). */
  async function call(hook: ToolHook, payload: unknown, point: HookPoint): Promise<HookOutcome> {
    const rt = deps.runtime()!;
    try {
      // An idle backend is started by the call (the caller waits, as for its first route call).
      const serving = await rt.serving(hook.plugin, hook.registrations, hook.registration);
      if (!serving) throw new Error(`${hook.plugin}'s backend is not running`);
      return { answer: await rt.invoke(hook.plugin, serving.backend, serving.registration, payload, 'hook', point) };
    } catch (error) {
      const refuses = hook.registration.onFailure === 'refuse';
      deps.logger.warn(
        { plugin: hook.plugin, point, err: error },
        refuses ? 'tool hook failed; the call is refused' : 'tool hook failed; the call goes on',
      );
      return { failure: error instanceof Error ? error.message : String(error) };
    }
  }
  const notify = (point: HookPoint, workspace: string, payload: unknown) => {
    const rt = deps.runtime();
    if (!rt) return;
    void hooksOf(deps.plugins(), rt, workspace, point).then((hooks) => {
      for (const hook of hooks) void call(hook, payload, point);
    });
  };
  return {
    async before(event) {
      const rt = deps.runtime();
      if (!rt) return undefined;
      for (const hook of await hooksOf(deps.plugins(), rt, event.workspace.name, 'tool-before')) {
        const outcome = await call(hook, event, 'tool-before');
        const reason = 'failure' in outcome ? failureRefusal(hook, outcome.failure) : refusalOf(outcome.answer);
        if (reason !== undefined) return { plugin: hook.plugin, reason };
      }
      return undefined;
    },
    after: (event) => notify('tool-after', event.workspace.name, event),
    error: (event) => notify('tool-error', event.workspace.name, event),
  };
}
