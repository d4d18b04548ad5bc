import { z } from 'zod';
import { defineRoute } from '@dbt-workbench/plugin-sdk/contracts/http';
import {
  NewScheduleBody,
  Schedule,
  ScheduleList,
  ScheduleUpdateBody,
} from '@dbt-workbench/plugin-sdk/contracts/runs.schema';
import { PluginTriggerList, TriggerWebhookAnswer } from '../plugin-triggers.schema.ts';

// A workspace's schedules (viewers read, developers change) and the scheduler triggers plugins add.

const InWorkspace = z.object({ workspace: z.string() });
const ScheduleParams = InWorkspace.extend({ id: z.string() });

export const listSchedules = defineRoute({
  method: 'GET',
  path: '/api/workspaces/:workspace/schedules',
  params: InWorkspace,
  responses: { 200: ScheduleList },
});

export const createSchedule = defineRoute({
  method: 'POST',
  path: '/api/workspaces/:workspace/schedules',
  params: InWorkspace,
  body: NewScheduleBody,
  responses: { 201: Schedule },
});

/** Changes some fields; the result is checked as a whole (a new time zone must suit the old cron). */
export const updateSchedule = defineRoute({
  method: 'PUT',
  path: '/api/workspaces/:workspace/schedules/:id',
  params: ScheduleParams,
  body: ScheduleUpdateBody,
  responses: { 200: Schedule },
});

/** Answers 204 with no body. */
export const deleteSchedule = defineRoute({
  method: 'DELETE',
  path: '/api/workspaces/:workspace/schedules/:id',
  params: ScheduleParams,
  responses: { 204: z.undefined() },
});

/** Plugins' triggers with their counts; webhook URLs and tokens for developers only. */
export const listPluginTriggers = defineRoute({
  method: 'GET',
  path: '/api/workspaces/:workspace/schedules/triggers',
  params: InWorkspace,
  responses: { 200: PluginTriggerList },
});

/**
 * A plugin's webhook trigger, for anyone holding its token (header `x-workbench-trigger-token`): 202 with the run
 * started, 200 when none was and why. The body, any JSON, goes to the plugin's check as it is.
 */
export const callTriggerWebhook = defineRoute({
  method: 'POST',
  path: '/api/triggers/:plugin/:workspace/:name/webhook',
  params: z.object({ plugin: z.string(), workspace: z.string(), name: z.string() }),
  responses: { 200: TriggerWebhookAnswer, 202: TriggerWebhookAnswer },
});
