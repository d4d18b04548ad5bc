import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Database } from '../db/database.ts';
import type { PostgresDatabase } from '../db/postgres.ts';
import type { SchedulesRepository } from './repository.ts';
import type { Scheduler } from './scheduler.ts';

/** The PostgreSQL notification channel on which servers tell each other a schedule was created, changed or deleted. */
const CHANNEL = 'workbench_schedules';

const Notification = z.object({ from: z.string(), workspace: z.string(), id: z.string() });

/** Tells the other servers' schedulers of a change made through this one. */
export interface ScheduleChanges {
  /** The schedule `id` of `workspace` was created, changed or deleted here (committed). */
  announce(schedule: { workspace: string; id: string }): void;
  stop(): Promise<void>;
}

/**
 * Several servers on one PostgreSQL run every schedule's job (the firing claims pick one server per firing), so a
 * schedule created, changed or deleted through one server must reach every scheduler at once: NOTIFY names it, and
 * each other server reads it again and starts, replaces or stops its job. A server that lost its listening
 * connection may have missed changes, so it reloads every schedule. On SQLite there is one server, and nothing to
 * tell.
 */
export async function shareScheduleChanges(deps: {
  db: Database;
  repo: SchedulesRepository;
  scheduler: Scheduler;
  logger: Logger;
}): Promise<ScheduleChanges> {
  if (deps.db.dialect !== 'postgres') return { announce: () => {}, stop: async () => {} };
  const db = deps.db as PostgresDatabase;
  const { repo, scheduler, logger } = deps;
  const server = randomUUID();
  const failed = (what: string) => (error: unknown) => logger.warn({ err: error }, what);

  async function reread(workspace: string, id: string): Promise<void> {
    const schedule = await repo.get(workspace, id);
    if (schedule) scheduler.sync(schedule);
    else scheduler.remove(id);
  }

  const stop = await db.listen(CHANNEL, {
    message(payload) {
      const parsed = parse(payload);
      if (!parsed) {
        logger.warn({ payload: payload.slice(0, 200) }, 'ignored a malformed schedule notification');
        return;
      }
      if (parsed.from === server) return;
      reread(parsed.workspace, parsed.id).catch(failed('reading a schedule changed on another server failed'));
    },
    reconnected() {
      logger.info('schedule notifications were lost for a while: reloading every schedule');
      repo
        .all()
        .then((all) => scheduler.reload(all))
        .catch(failed('reloading the schedules failed'));
    },
  });

  return {
    announce({ workspace, id }) {
      db.notify(CHANNEL, JSON.stringify({ from: server, workspace, id })).catch(
        failed('could not tell the other servers about a schedule change'),
      );
    },
    stop,
  };
}

function parse(payload: string): z.infer<typeof Notification> | undefined {
  try {
    const parsed = Notification.safeParse(JSON.parse(payload));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
