import type { Capability } from '@dbt-workbench/plugin-sdk/contracts/capabilities';
import type { LifecycleEvent } from '@dbt-workbench/plugin-sdk/contracts/lifecycle-events';
import type { HostCall, RegistrationPoint } from '@dbt-workbench/plugin-sdk/contracts/sandbox.schema';

/** The capability each registration point needs. Events are in `eventCapabilities`. */
export const pointCapabilities: Record<Exclude<RegistrationPoint, 'event' | 'tool'>, Capability> = {
  route: 'extend-api',
  'artifact-load': 'write-metadata',
  'lineage-build': 'modify-lineage',
  'lineage-nodes': 'modify-lineage',
  'search-index': 'write-metadata',
  'run-start': 'register-schedule-hooks',
  'run-complete': 'register-schedule-hooks',
  'schedule-run-start': 'register-schedule-hooks',
  'schedule-run-complete': 'register-schedule-hooks',
  'schedule-trigger': 'register-schedule-hooks',
  'tool-before': 'intercept-tool-calls',
  'tool-after': 'intercept-tool-calls',
  'tool-error': 'intercept-tool-calls',
};

/** Events about a workspace's metadata or runs need one of these; plugin lifecycle events need none. */
export const eventCapabilities: Record<LifecycleEvent, readonly Capability[]> = {
  'on-plugin-load': [],
  'on-plugin-unload': [],
  'on-plugin-update': [],
  'on-artifact-load': ['read-metadata'],
  'on-lineage-build': ['read-metadata', 'modify-lineage'],
  'on-catalog-refresh': ['read-metadata'],
  'on-schedule-run-start': ['register-schedule-hooks', 'read-metadata'],
  'on-schedule-run-complete': ['register-schedule-hooks', 'read-metadata'],
  'on-run-complete': ['register-schedule-hooks', 'read-metadata'],
};

export type CallCheck = { ok: true } | { ok: false; capability?: Capability; message: string };

/** Whether a host call is within a plugin's approved capabilities, and a sentence for the plugin when not. Pure. */
export function checkHostCall(call: HostCall, approved: ReadonlySet<Capability>, plugin: string): CallCheck {
  if (call.fn.startsWith('data.') || call.fn.startsWith('sql.')) {
    const needed: Capability = call.fn.startsWith('sql.') ? 'access-sql-workspace' : 'read-metadata';
    if (approved.has(needed)) return { ok: true };
    return {
      ok: false,
      capability: needed,
      message: `${plugin} may not call ${call.fn}: it needs the ${needed} capability, which is not approved`,
    };
  }
  if (call.fn === 'metadata.refresh') {
    if (approved.has('write-metadata')) return { ok: true };
    return {
      ok: false,
      capability: 'write-metadata',
      message: `${plugin} may not refresh metadata: it needs the write-metadata capability, which is not approved`,
    };
  }
  if (call.fn !== 'register') return { ok: true };
  if (call.onFailure !== undefined && call.point !== 'tool-before')
    return { ok: false, message: 'onFailure applies to tools.beforeCall only' };
  if (call.point === 'event') {
    if (!call.event) return { ok: false, message: 'events.on needs an event name' };
    const needs = eventCapabilities[call.event];
    if (needs.length === 0 || needs.some((c) => approved.has(c))) return { ok: true };
    return {
      ok: false,
      capability: needs[0],
      message: `${plugin} may not subscribe to ${call.event}: it needs the ${needs.join(' or ')} capability, which is not approved`,
    };
  }
  // A tool handler needs no capability of its own: the manifest declares the tool and the admin approved it;
  // `server/tools` serves only declared tools, and checks the capabilities each one says it uses.
  if (call.point === 'tool') return call.tool ? { ok: true } : { ok: false, message: 'tools.register needs a name' };
  if (call.point === 'schedule-trigger') {
    if (!call.trigger) return { ok: false, message: 'schedules.addTrigger needs a trigger' };
    const { when, workspace } = call.trigger;
    if (when.kind === 'after-run' && when.upstream === workspace)
      return { ok: false, message: `a trigger may not start runs of ${workspace} after runs of ${workspace} (a loop)` };
  }
  if (call.point === 'route' && (!call.method || !call.path))
    return { ok: false, message: 'routes.register needs a method and a path like "/notes"' };
  const needed = pointCapabilities[call.point];
  if (approved.has(needed)) return { ok: true };
  return {
    ok: false,
    capability: needed,
    message: `${plugin} may not register a ${call.point} handler: it needs the ${needed} capability, which is not approved`,
  };
}
