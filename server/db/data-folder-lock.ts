import { chmodSync, closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/** Why a server refused to start: another live server process holds the data folder. */
export class DataFolderInUseError extends Error {
  constructor(dataDirectory: string, holder: string) {
    super(
      `The data folder ${dataDirectory} (WORKBENCH_DATA_DIR) is in use by another dbt-Workbench server ${holder}. ` +
        'One data folder serves one server process: stop the other server, or give this one its own WORKBENCH_DATA_DIR.',
    );
    this.name = 'DataFolderInUseError';
  }
}

/**
 * Takes the data folder for this process until `release` is called or the process ends, however it ends.
 *
 * The lock is an exclusive SQLite transaction left open on `server.lock`: SQLite holds it with an OS file lock,
 * which the kernel drops when the process dies, so a crashed server never leaves a stale lock and a reused pid
 * never fools it. `server.owner` names the holder, for the message the next process shows.
 */
export function lockDataFolder(dataDirectory: string): { release(): void } {
  const lockFile = path.join(dataDirectory, 'server.lock');
  const ownerFile = path.join(dataDirectory, 'server.owner');
  closeSync(openSync(lockFile, 'a', 0o600));
  chmodSync(lockFile, 0o600);
  const lock = new DatabaseSync(lockFile);
  try {
    lock.exec('PRAGMA busy_timeout = 0; BEGIN EXCLUSIVE');
  } catch (error) {
    lock.close();
    if (!/locked|busy/i.test((error as Error).message)) throw error;
    throw new DataFolderInUseError(dataDirectory, describeOwner(ownerFile));
  }
  writeFileSync(
    ownerFile,
    JSON.stringify({ pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() }),
    { mode: 0o600 },
  );
  let held = true;
  return {
    release() {
      if (!held) return;
      held = false;
      lock.exec('ROLLBACK');
      lock.close();
    },
  };
}

function describeOwner(ownerFile: string): string {
  try {
    const owner = JSON.parse(readFileSync(ownerFile, 'utf8')) as { pid?: number; host?: string; startedAt?: string };
    return `(pid ${owner.pid} on ${owner.host}, started ${owner.startedAt})`;
  } catch {
    return '(its owner file is unreadable)';
  }
}
