import type { Logger } from 'pino';
import { createAuditLog, type AuditRecord } from '../audit/audit-log.ts';
import type { Database } from '../db/database.ts';

/** How long audit lines of tool calls wait to be written together, in ms. */
const BATCH_MS = 20;

export interface AuditBatch {
  /** Queues a line; it is written within BATCH_MS with the others queued by then. */
  record(entry: AuditRecord): void;
  /** Writes what is queued now (on close). */
  flush(): Promise<void>;
}

/**
 * Audit lines written in batches, one transaction each: the database syncs to disk on every commit (SQLite
 * synchronous=FULL), which would otherwise cost each tool call that much, and block the event loop meanwhile.
 */
export function createAuditBatch(db: Database, logger: Logger): AuditBatch {
  let queued: AuditRecord[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = queued;
    queued = [];
    if (batch.length === 0) return writing;
    writing = writing
      .then(() =>
        db.transaction(async (tx) => {
          const log = createAuditLog(tx);
          for (const entry of batch) await log.record(entry);
        }),
      )
      .catch((error: unknown) => logger.error({ err: error, lines: batch.length }, 'tool calls not audited'));
    return writing;
  }

  return {
    record(entry) {
      queued.push(entry);
      timer ??= setTimeout(() => void flush(), BATCH_MS);
    },
    flush,
  };
}
