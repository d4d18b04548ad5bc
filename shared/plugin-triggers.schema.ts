import { z } from 'zod';
import { TriggerWhen } from '@dbt-workbench/plugin-sdk/contracts/sandbox.schema';

/** A scheduler trigger a plugin added, as the Schedules page lists it (`GET .../schedules/triggers`). */
export const PluginTriggerView = z.object({
  /** `<plugin>.<name>`, unique in a workspace. */
  id: z.string(),
  plugin: z.string(),
  name: z.string(),
  title: z.string(),
  workspace: z.string(),
  when: TriggerWhen,
  /** `webhook` triggers, for developers: where to POST, with the header `x-workbench-trigger-token`. */
  webhook: z.object({ url: z.string(), token: z.string() }).optional(),
  runsStarted: z.number().int(),
  lastRun: z.object({ id: z.string(), at: z.string(), reason: z.string().nullable() }).nullable(),
  skipped: z.number().int(),
  lastSkip: z.object({ at: z.string(), reason: z.string() }).nullable(),
});
export type PluginTriggerView = z.infer<typeof PluginTriggerView>;

export const PluginTriggerList = z.object({ triggers: z.array(PluginTriggerView) });
export type PluginTriggerList = z.infer<typeof PluginTriggerList>;

/** `POST /api/triggers/:plugin/:workspace/:name/webhook`: the run started, or why none was. */
export const TriggerWebhookAnswer = z.object({
  started: z.boolean(),
  runId: z.string().optional(),
  reason: z.string().optional(),
});
export type TriggerWebhookAnswer = z.infer<typeof TriggerWebhookAnswer>;
