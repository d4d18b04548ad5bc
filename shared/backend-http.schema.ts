import { z } from 'zod';
import { LifecycleEvent } from '@dbt-workbench/plugin-sdk/contracts/lifecycle-events';

// The HTTP bodies between the server and an independently deployed plugin backend (`backend.url`) for what
// the server calls on its own: which hooks and events the backend wants, and their delivery. Routes called by
// users are proxied as they are. Every request carries the signed identity headers of
// server/sandbox/signature.ts; user id, username and role are empty because no user makes these calls.
// See server/sandbox/README.md for the whole exchange.

/** Paths below `backend.url` that only the server calls; `/api/ext/<plugin>/_workbench/...` answers 404. */
export const HOST_CALL_PREFIX = '/_workbench';

/** Hook points a remote backend may ask for (routes are its own paths; events are listed apart). */
export const RemoteHookPoint = z.enum([
  'artifact-load',
  'lineage-build',
  'search-index',
  'run-start',
  'run-complete',
  'schedule-run-start',
  'schedule-run-complete',
]);
export type RemoteHookPoint = z.infer<typeof RemoteHookPoint>;

const Priority = z.number().int().min(-1000).max(1000);

/**
 * `GET <url>/_workbench/registrations`: what the backend wants delivered. A 404 means nothing (a backend with
 * routes only). Each entry is checked against the approved capabilities; one outside them is left out and shown
 * in the plugin's diagnostics. Event names this server does not know are left out the same way.
 *
 * @example
 * { "events": [{ "event": "on-run-complete" }], "hooks": [{ "point": "lineage-build", "priority": 10 }] }
 */
export const RemoteRegistrations = z.object({
  events: z
    .array(z.object({ event: z.string().min(1).max(100), priority: Priority.optional() }))
    .max(100)
    .default([]),
  hooks: z
    .array(z.object({ point: z.string().min(1).max(100), priority: Priority.optional() }))
    .max(100)
    .default([]),
});
export type RemoteRegistrations = z.infer<typeof RemoteRegistrations>;

/** `POST <url>/_workbench/events/<event>`: any 2xx answer is a delivery; anything else a failure. */
export const RemoteEventDelivery = z.object({ event: LifecycleEvent, payload: z.unknown() });
export type RemoteEventDelivery = z.infer<typeof RemoteEventDelivery>;

/**
 * `POST <url>/_workbench/hooks/<point>`: the answer's JSON body is the hook's result, as an in-process handler
 * returns it (node patches, a lineage overlay, search documents), or 204 for none.
 */
export const RemoteHookCall = z.object({ point: RemoteHookPoint, payload: z.unknown() });
export type RemoteHookCall = z.infer<typeof RemoteHookCall>;
