import { Cron } from 'croner';
import { z } from 'zod';

/** Where a run is in its life. `interrupted`: the server stopped under it (crash or shutdown). */
export const RunStatus = z.enum(['queued', 'running', 'success', 'failed', 'cancelled', 'interrupted']);
export type RunStatus = z.infer<typeof RunStatus>;

/** The statuses a run can still leave; every other status is final. */
export const activeRunStatuses: readonly RunStatus[] = ['queued', 'running'];

/** True while a run is queued or running. */
export function isActiveRun(status: RunStatus): boolean {
  return activeRunStatuses.includes(status);
}

/** A run as the API shows it. `command` is the argv the server executes in the workspace's project folder. */
export const Run = z.object({
  id: z.string(),
  workspace: z.string(),
  status: RunStatus,
  trigger: z.enum(['manual', 'schedule', 'plugin']),
  /** The plugin trigger that started it (`trigger: 'plugin'`). */
  pluginTrigger: z.object({ plugin: z.string(), name: z.string() }).optional(),
  /** Who pressed "Run now"; null for scheduled runs and for deleted users. */
  triggeredBy: z.object({ id: z.string(), username: z.string() }).nullable(),
  /** The schedule that started it; null for manual runs, `name` null once the schedule is deleted. */
  schedule: z.object({ id: z.string().nullable(), name: z.string().nullable() }).nullable(),
  command: z.array(z.string()),
  exitCode: z.number().int().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type Run = z.infer<typeof Run>;

/** `GET runs?limit=&before=`: newest first; pass `nextBefore` as `before` for the next page. */
export const RunList = z.object({ runs: z.array(Run), nextBefore: z.string().nullable() });
export type RunList = z.infer<typeof RunList>;

export const RunListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** A run id: list the runs created before it. */
  before: z.string().min(1).optional(),
});
export type RunListQuery = z.infer<typeof RunListQuery>;

/** Lines of one stream, stored together. `system` lines are written by the server (start, exit, interruption). */
export const RunLogChunk = z.object({
  seq: z.number().int(),
  stream: z.enum(['stdout', 'stderr', 'system']),
  /** One or more whole lines, each ending in `\n`. */
  text: z.string(),
  at: z.string(),
});
export type RunLogChunk = z.infer<typeof RunLogChunk>;

/** `GET runs/:id/log?after=<seq>`: chunks after `after`, oldest first; poll again with `last` while `more` or active. */
export const RunLog = z.object({
  runId: z.string(),
  status: RunStatus,
  chunks: z.array(RunLogChunk),
  /** The seq of the last chunk returned, or `after` when none. */
  last: z.number().int(),
  /** True when the page was full: ask again at once. */
  more: z.boolean(),
});
export type RunLog = z.infer<typeof RunLog>;

export const RunLogQuery = z.object({
  after: z.coerce.number().int().min(-1).default(-1),
  limit: z.coerce.number().int().min(1).max(2000).default(500),
});

/** Checks a cron pattern and time zone with croner, the scheduler's engine; problems name the field. */
export function cronProblem(cron: string, timezone: string): { field: 'cron' | 'timezone'; message: string } | null {
  try {
    new Cron(cron, { paused: true }).stop();
  } catch (error) {
    return { field: 'cron', message: (error as Error).message };
  }
  try {
    const next = new Cron(cron, { paused: true, timezone });
    const date = next.nextRun();
    next.stop();
    if (!date) return { field: 'cron', message: 'never matches a future date' };
  } catch (error) {
    return { field: 'timezone', message: (error as Error).message };
  }
  return null;
}

const name = z.string().trim().min(1, 'must not be empty').max(80);
/** Five fields (minute precision) or six (seconds first), as croner reads them: `0 6 * * *`, `*\/30 * * * * *`. */
const cron = z.string().trim().min(1, 'must not be empty').max(120);
/** An IANA time zone such as `Europe/Oslo`. */
const timezone = z.string().trim().min(1, 'must not be empty').max(64);

const ScheduleFields = z.object({ name, cron, timezone: timezone.default('UTC'), enabled: z.boolean().default(true) });

function checkCron(value: { cron: string; timezone: string }, ctx: z.RefinementCtx): void {
  const problem = cronProblem(value.cron, value.timezone);
  if (problem)
    ctx.addIssue({ code: 'custom', path: [problem.field], message: problem.message, params: { rule: 'cron' } });
}

/** `POST schedules`. */
export const NewScheduleBody = ScheduleFields.superRefine(checkCron);
export type NewScheduleBody = z.input<typeof NewScheduleBody>;

/** `PUT schedules/:id`: the fields to change; the result is checked as a whole. */
export const ScheduleUpdateBody = z
  .object({
    name: name.optional(),
    cron: cron.optional(),
    timezone: timezone.optional(),
    enabled: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'must change at least one field' });
export type ScheduleUpdateBody = z.infer<typeof ScheduleUpdateBody>;

/** The checked result of an update: every field present. */
export const ScheduleDefinition = NewScheduleBody;
export type ScheduleDefinition = z.infer<typeof ScheduleDefinition>;

/** A schedule as the API shows it. `nextRunAt` is null while disabled. */
export const Schedule = z.object({
  id: z.string(),
  workspace: z.string(),
  name: z.string(),
  cron: z.string(),
  timezone: z.string(),
  enabled: z.boolean(),
  nextRunAt: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastRun: z.object({ id: z.string(), status: RunStatus, createdAt: z.string() }).nullable(),
});
export type Schedule = z.infer<typeof Schedule>;

export const ScheduleList = z.object({ schedules: z.array(Schedule) });
export type ScheduleList = z.infer<typeof ScheduleList>;
