import type { Logger } from 'pino';
import type { Capability } from '@dbt-workbench/plugin-sdk/contracts/capabilities';
import type { DataCall, HostCall } from '@dbt-workbench/plugin-sdk/contracts/sandbox.schema';
import { checkHostCall } from './capabilities.ts';
import { CallFailure } from './failures.ts';
import type { Registrations } from './registrations.ts';
import type { PluginStats } from './stats.ts';

export interface HostApiDeps {
  plugin: string;
  approved: ReadonlySet<Capability>;
  registrations: Registrations;
  stats: PluginStats;
  logger: Logger;
  /** The plugin's configuration: the admin's values over the manifest's defaults; a workspace's overrides over them. */
  config(workspace?: string): Promise<unknown>;
  /** Answers a typed data call (server/sandbox/host-data.ts); throws a `rejected` CallFailure for a workspace it may not read. */
  data(call: DataCall): Promise<unknown>;
  /** A registration came or went after activation: the seams must follow. */
  changed(): void;
  /** Runs the catalog's enrichers again (debounced by the seams). */
  refreshMetadata(): void;
}

/**
 * The server's side of one backend process's `host`: checks every call against the approved capabilities.
 * A refused call is logged, recorded as a rejected action, and rejected in the plugin with the reason.
 */
export function createHostApi(deps: HostApiDeps): (call: HostCall) => Promise<unknown> {
  const { plugin, registrations } = deps;

  function refuse(action: string, message: string, capability?: Capability): never {
    deps.stats.rejected(action, message, capability);
    deps.logger.warn({ plugin, action, capability }, `plugin host call rejected: ${message}`);
    throw new CallFailure('rejected', message);
  }

  return async (call) => {
    switch (call.fn) {
      case 'config.get':
        try {
          return await deps.config(call.workspace);
        } catch (error) {
          if (error instanceof CallFailure && error.kind === 'rejected')
            refuse(`config.get ${call.workspace}`, error.message);
          throw error;
        }
      case 'data.models':
      case 'data.node':
      case 'data.lineage':
      case 'data.runs':
      case 'data.run':
      case 'sql.query':
      case 'sql.tables': {
        const action = `${call.fn} ${call.workspace}`;
        const check = checkHostCall(call, deps.approved, plugin);
        if (!check.ok) refuse(action, check.message, check.capability);
        try {
          return await deps.data(call);
        } catch (error) {
          if (error instanceof CallFailure && error.kind === 'rejected') refuse(action, error.message);
          throw error;
        }
      }
      case 'metadata.refresh': {
        const check = checkHostCall(call, deps.approved, plugin);
        if (!check.ok) refuse('metadata.refresh', check.message, check.capability);
        deps.refreshMetadata();
        return null;
      }
      case 'unregister':
        if (registrations.remove(call.handler)) deps.changed();
        return null;
      case 'register': {
        const action =
          call.point === 'route'
            ? `routes.register ${call.method ?? '?'} ${call.path ?? '?'}`
            : call.point === 'event'
              ? `events.on ${call.event ?? '?'}`
              : call.point === 'tool'
                ? `tools.register ${call.tool ?? '?'}`
                : `register ${call.point}`;
        const check = checkHostCall(call, deps.approved, plugin);
        if (!check.ok) refuse(action, check.message, check.capability);
        if (
          call.point === 'schedule-trigger' &&
          registrations
            .of('schedule-trigger')
            .some((r) => r.trigger?.name === call.trigger?.name && r.trigger?.workspace === call.trigger?.workspace)
        ) {
          refuse(action, `the trigger ${call.trigger?.name} of ${call.trigger?.workspace} is registered already`);
        }
        if (
          call.point === 'route' &&
          registrations.of('route').some((r) => r.method === call.method && r.path === call.path)
        ) {
          refuse(action, `${call.method} ${call.path} is registered already`);
        }
        if (call.point === 'tool' && registrations.tool(call.tool!)) {
          refuse(action, `the tool ${call.tool} is registered already`);
        }
        registrations.add({
          handler: call.handler,
          point: call.point,
          priority: call.priority ?? 0,
          ...(call.method ? { method: call.method } : {}),
          ...(call.path ? { path: call.path } : {}),
          ...(call.event ? { event: call.event } : {}),
          ...(call.trigger ? { trigger: call.trigger } : {}),
          ...(call.tool ? { tool: call.tool } : {}),
          ...(call.onFailure === 'refuse' ? { onFailure: 'refuse' as const } : {}),
        });
        deps.changed();
        return null;
      }
    }
  };
}
