import { RemoteHookPoint, type RemoteRegistrations } from '../../shared/backend-http.schema.ts';
import type { Capability } from '@dbt-workbench/plugin-sdk/contracts/capabilities';
import { LifecycleEvent } from '@dbt-workbench/plugin-sdk/contracts/lifecycle-events';
import { checkHostCall } from './capabilities.ts';
import type { Registration } from './registrations.ts';

/** An entry of a remote backend's registrations that was left out, and why. */
export interface RefusedRegistration {
  action: string;
  message: string;
  capability?: Capability;
}

export interface RemoteRegistrationCheck {
  /** What the server will deliver; `handler` is a number of this list, as the child's handler ids are. */
  accepted: Registration[];
  refused: RefusedRegistration[];
}

/**
 * Checks what an independently deployed backend asked for against the approved capabilities, with the same
 * rules as `host.events.on` and the `host.*.on*` registrations of a sandboxed backend. Pure.
 */
export function checkRemoteRegistrations(
  doc: RemoteRegistrations,
  approved: ReadonlySet<Capability>,
  plugin: string,
): RemoteRegistrationCheck {
  const accepted: Registration[] = [];
  const refused: RefusedRegistration[] = [];
  const priorityOf = (p: number | undefined) => (p === undefined ? {} : { priority: p });
  for (const { event, priority } of doc.events) {
    const action = `events.on ${event}`;
    const known = LifecycleEvent.safeParse(event);
    if (!known.success) {
      refused.push({ action, message: `${event} is not a lifecycle event of this server` });
      continue;
    }
    const handler = accepted.length + 1;
    const check = checkHostCall(
      { fn: 'register', point: 'event', event: known.data, handler, ...priorityOf(priority) },
      approved,
      plugin,
    );
    if (!check.ok) refused.push({ action, message: check.message, ...capabilityOf(check.capability) });
    else accepted.push({ handler, point: 'event', event: known.data, priority: priority ?? 0 });
  }
  for (const { point, priority } of doc.hooks) {
    const action = `register ${point}`;
    const known = RemoteHookPoint.safeParse(point);
    if (!known.success) {
      refused.push({ action, message: `${point} is not a hook point (${RemoteHookPoint.options.join(', ')})` });
      continue;
    }
    const handler = accepted.length + 1;
    const check = checkHostCall(
      { fn: 'register', point: known.data, handler, ...priorityOf(priority) },
      approved,
      plugin,
    );
    if (!check.ok) refused.push({ action, message: check.message, ...capabilityOf(check.capability) });
    else accepted.push({ handler, point: known.data, priority: priority ?? 0 });
  }
  return { accepted, refused };
}

const capabilityOf = (capability: Capability | undefined) => (capability ? { capability } : {});
