import type { ToolCallContext, ToolCallEvent } from '@dbt-workbench/plugin-sdk';
import type { WorkspaceRole } from '@dbt-workbench/plugin-sdk/contracts/roles';
import type { Logger } from 'pino';
import type { ToolCallResult, ToolDescriptor } from '../../shared/tools.schema.ts';
import type { AuditBatch } from './audit-batch.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { User } from '../auth/users-repository.ts';
import type { HostServices } from '../features.ts';
import { HttpError } from '../http/errors.ts';
import type { PluginRegistry } from '../plugins/registry.ts';
import { concurrencyLimit, createCallGate } from '../sandbox/call-gate.ts';
import { failureToHttp } from '../sandbox/proxy-answers.ts';
import { createRateLimiter } from '../sandbox/rate-limit.ts';
import type { BackendRuntime } from '../sandbox/runtime.ts';
import type { Workspace } from '../workspaces/config.ts';
import { createToolHooks } from './hooks.ts';
import { resolveTool, toolsFor, type ResolvedTool } from './tool-set.ts';
import { checkAgainst, describeProblems } from './validation.ts';

/** Who calls, where, and through what: the palette (a session) or MCP (an API token). */
export interface ToolCaller {
  user: User;
  workspace: Workspace;
  role: WorkspaceRole;
  via: ToolCallContext['via'];
}

export interface ToolRunnerDeps {
  plugins: PluginRegistry;
  /** The plugin backends' runtime; undefined with the plugin system off. */
  runtime(): BackendRuntime | undefined;
  /**
   * The caller's own backend dev slot of a plugin (`workbench-plugin dev --server`), if any: their calls of its tools
   * run there, everyone else's on the approved backend. Throws a 409 when the slot runs on another server.
   */
  devRuntimeOf?(userId: string, plugin: string): BackendRuntime | undefined;
  services: HostServices;
  /** Where every call's `tool.call` line goes (written in batches). */
  audit: AuditBatch;
  /** What core tools record their own actions in (`run.start`). */
  auditLog: AuditLog;
  logger: Logger;
  sqlTimeoutMs: number;
  /** PLUGIN_MAX_CONCURRENT_CALLS: a plugin's tool calls in flight at once (its manifest's limit may go lower). */
  maxConcurrentCalls: number;
  /** PLUGIN_ROUTE_RATE and PLUGIN_ROUTE_BURST: each plugin's tool calls get a bucket of this size. */
  ratePerSecond: number;
  rateBurst: number;
}

/** Lists and calls tools with every check, limit, hook and audit line; the palette's routes and MCP share it. */
export interface ToolRunner {
  list(caller: Omit<ToolCaller, 'via' | 'user'>): ToolDescriptor[];
  /** Runs a tool or throws an `HttpError` naming what is wrong; every call, refused or not, is audited. */
  call(caller: ToolCaller, id: string, args: unknown): Promise<ToolCallResult>;
}

export function createToolRunner(deps: ToolRunnerDeps): ToolRunner {
  const gate = createCallGate();
  const limiter = createRateLimiter(deps.ratePerSecond, deps.rateBurst);
  const hooks = createToolHooks({ plugins: () => deps.plugins.list(), runtime: deps.runtime, logger: deps.logger });

  /** A slot within the plugin's concurrency limit and rate, released by the returned function. */
  function admit(tool: Extract<ResolvedTool, { kind: 'plugin' }>): () => void {
    const plugin = tool.plugin.name;
    const limit = concurrencyLimit(deps.maxConcurrentCalls, tool.plugin.manifest?.backend?.limits?.maxConcurrentCalls);
    const release = gate.enter(plugin, limit);
    const stats = deps.runtime()?.stats(plugin);
    if (!release) {
      const message = `${limit} tool calls to plugin ${plugin} are in flight already, as many as it may have at once`;
      stats?.refused('concurrency', message);
      throw new HttpError('plugin_busy', `${message}; try again in a second`, { plugin, limit });
    }
    const wait = limiter.take(plugin);
    if (wait > 0) {
      release();
      const rate = `${deps.ratePerSecond} per second and ${deps.rateBurst} at once`;
      stats?.refused('rate', `past plugin ${plugin}'s tool call rate of ${rate}`);
      throw new HttpError(
        'plugin_rate_limited',
        `Too many tool calls to plugin ${plugin} (at most ${rate}); try again in ${wait} ms`,
        {
          plugin,
          perSecond: deps.ratePerSecond,
          burst: deps.rateBurst,
        },
      );
    }
    return release;
  }

  async function runPlugin(
    tool: Extract<ResolvedTool, { kind: 'plugin' }>,
    args: Record<string, unknown>,
    context: ToolCallContext,
  ): Promise<unknown> {
    const plugin = tool.plugin.name;
    const runtime = deps.devRuntimeOf?.(context.user.id, plugin) ?? deps.runtime();
    const unavailable = (why: string) =>
      new HttpError('tool_unavailable', `The tool ${tool.id} cannot be used: ${why}`, { tool: tool.id, plugin });
    if (!runtime || !tool.plugin.manifest?.backend?.entry)
      throw unavailable(`plugin ${plugin} has no backend process here to run it (backend.entry)`);
    const release = admit(tool);
    try {
      const active = runtime.active(plugin) ?? (await runtime.ready(plugin));
      if (!active)
        throw unavailable(`plugin ${plugin}'s backend is not running (${runtime.backendState(plugin).state})`);
      const registration = active.registrations.tool(tool.declaration.name);
      if (!registration) throw unavailable(`plugin ${plugin}'s backend did not register it (host.tools.register)`);
      try {
        return await runtime.invoke(
          plugin,
          active,
          registration,
          { arguments: args, context },
          'tool',
          tool.declaration.name,
        );
      } catch (error) {
        throw failureToHttp(plugin, error);
      }
    } finally {
      release();
    }
  }

  async function run(caller: ToolCaller, id: string, rawArgs: unknown): Promise<ToolCallResult> {
    const started = performance.now();
    const tool = resolveTool(deps.plugins, caller.workspace.name, caller.role, id);
    const args = checkAgainst(tool.descriptor.parameters, rawArgs ?? {});
    if (!args.ok) {
      if ('schemaError' in args)
        throw new HttpError(
          'tool_unavailable',
          `The tool ${id} cannot be used: its parameters schema is not valid (${args.schemaError})`,
        );
      throw new HttpError(
        'tool_arguments_invalid',
        `The arguments of ${id} are not valid: ${describeProblems(args.problems)}`,
        args.problems,
      );
    }
    const context: ToolCallContext = {
      tool: id,
      user: {
        id: caller.user.id,
        username: caller.user.username,
        displayName: caller.user.displayName,
        isInstanceAdmin: caller.user.isInstanceAdmin,
      },
      workspace: { name: caller.workspace.name, role: caller.role },
      via: caller.via,
    };
    const event: ToolCallEvent = {
      ...context,
      arguments: args.value,
      effect: tool.descriptor.effect,
      plugin: tool.kind === 'plugin' ? tool.plugin.name : null,
    };
    try {
      const refusal = await hooks.before(event);
      if (refusal)
        throw new HttpError('tool_refused', `Plugin ${refusal.plugin} refused the call of ${id}: ${refusal.reason}`, {
          tool: id,
          plugin: refusal.plugin,
          reason: refusal.reason,
        });
      const value =
        tool.kind === 'core'
          ? await tool.core.run(args.value, {
              ...caller,
              services: deps.services,
              audit: deps.auditLog,
              sqlTimeoutMs: deps.sqlTimeoutMs,
            })
          : await runPlugin(tool, args.value, context);
      const schema = tool.descriptor.result ?? { type: 'object' };
      const result = checkAgainst(schema, value);
      if (!result.ok) {
        const why =
          'schemaError' in result
            ? `its result schema is not valid (${result.schemaError})`
            : describeProblems(result.problems);
        // The plugin's admin sees it in its diagnostics (rejected actions), as for any answer the server refuses.
        if (tool.kind === 'plugin')
          deps.runtime()?.stats(tool.plugin.name).rejected(`tool ${tool.declaration.name}`, `result refused: ${why}`);
        throw new HttpError(
          'tool_result_invalid',
          `The tool ${id} answered what its result schema does not allow: ${why}`,
          'problems' in result ? result.problems : undefined,
        );
      }
      const durationMs = Math.round((performance.now() - started) * 100) / 100;
      hooks.after({ ...event, result: result.value, durationMs });
      return { tool: id, result: result.value, view: tool.descriptor.view, durationMs };
    } catch (error) {
      const known = error instanceof HttpError ? error : undefined;
      hooks.error({
        ...event,
        error: { code: known?.code ?? 'internal_error', message: known?.message ?? 'the tool failed' },
      });
      throw error;
    }
  }

  return {
    list: (caller) => toolsFor(deps.plugins.list(), caller.workspace.name, caller.role),
    async call(caller, id, args) {
      let outcome: { ok: true } | { ok: false; code: string; message: string } = { ok: true };
      try {
        return await run(caller, id, args);
      } catch (error) {
        outcome =
          error instanceof HttpError
            ? { ok: false, code: error.code, message: error.message }
            : { ok: false, code: 'internal_error', message: String((error as Error).message ?? error) };
        throw error;
      } finally {
        deps.audit.record({
          actor: caller.user,
          action: 'tool.call',
          target: id,
          workspace: caller.workspace.name,
          details: { via: caller.via, ...outcome },
        });
      }
    },
  };
}
