import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Database } from './database.ts';

/** How often a server says it is alive, and after how much silence the others take it for dead. */
export const HEARTBEAT_MS = 2000;
export const GONE_AFTER_MS = 5 * HEARTBEAT_MS;

export interface ServerPresence {
  /** This server process's id: the owner of the runs it executes. */
  readonly id: string;
  /**
   * Servers silent since this time (ISO-8601) are gone. On SQLite every other server is: the data folder admits one
   * process at a time, so a row left behind is a server that died.
   */
  goneBefore(): string;
  /** Stops the heartbeat and removes this server's row: it ended cleanly. */
  stop(): Promise<void>;
}

/**
 * This server's row in `servers`, its `seen_at` refreshed every HEARTBEAT_MS. Several servers on one database tell
 * from it whether the server of a run still lives: one killed (SIGKILL, a lost machine) stops refreshing it.
 */
export async function startServerPresence(db: Database): Promise<ServerPresence> {
  const id = randomUUID();
  const now = () => new Date().toISOString();
  await db.run('INSERT INTO servers (id, host, pid, started_at, seen_at) VALUES (?, ?, ?, ?, ?)', [
    id,
    os.hostname(),
    process.pid,
    now(),
    now(),
  ]);
  const beat = setInterval(() => {
    // A database away for a moment misses a beat; the next one catches up.
    db.run('UPDATE servers SET seen_at = ? WHERE id = ?', [now(), id]).catch(() => undefined);
  }, HEARTBEAT_MS);
  beat.unref();
  return {
    id,
    goneBefore: () =>
      db.dialect === 'sqlite' ? '9999-12-31T00:00:00.000Z' : new Date(Date.now() - GONE_AFTER_MS).toISOString(),
    async stop() {
      clearInterval(beat);
      await db.run('DELETE FROM servers WHERE id = ?', [id]);
    },
  };
}
