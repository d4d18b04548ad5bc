import type { Database } from '../db/database.ts';

/**
 * Which server starts a schedule's firing: every server on one database runs the schedule's cron job, and the one
 * whose claim of that firing lands first starts the run. Firings are named by their time on the cron pattern, not
 * by when a server's timer went off, so the servers agree on them.
 */
export function createFiringClaims(db: Database, server: string) {
  return {
    /** True for exactly one server per schedule and firing time. */
    async claim(scheduleId: string, fireAt: Date): Promise<boolean> {
      const result = await db.run(
        'INSERT INTO schedule_firings (schedule_id, fire_at, server, claimed_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
        [scheduleId, fireAt.toISOString(), server, new Date().toISOString()],
      );
      if (result.changes !== 1) return false;
      // Firings older than an hour can no longer be claimed by a late server: forget them.
      const before = new Date(fireAt.getTime() - 3_600_000).toISOString();
      await db.run('DELETE FROM schedule_firings WHERE schedule_id = ? AND fire_at < ?', [scheduleId, before]);
      return true;
    },
  };
}

export type FiringClaims = ReturnType<typeof createFiringClaims>;
