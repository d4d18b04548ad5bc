import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Database } from '../../db/database.ts';
import { HttpError } from '../../http/errors.ts';
import { localRevisions, replicaIdOf, revisionsAfter } from '../package-store/revisions.ts';
import type { CrashPoint } from './crash.ts';
import { applyEffects, type Effect } from './effects.ts';
import type { PackageLayout } from './layout.ts';
import { COPY_PREFIX, exists, moveDirectory } from './moves.ts';

/** One folder move of an operation. `to` must not exist when the operation starts (or an earlier move empties it). */
export interface Move {
  from: string;
  to: string;
}

/** `sync`: a replica putting in place the package another replica's operation recorded (package-store/sync.ts). */
export type OperationKind = 'install' | 'stage-update' | 'activate' | 'discard-update' | 'remove' | 'sync';

/**
 * A plugin operation as the journal records it: folder moves, then database effects, then folders to delete.
 *
 * The journal row is written before the first move. The commit point is the transaction that applies the effects
 * and deletes the row. After a crash, recovery looks at the files: if every move is done it applies the effects
 * (the state after); otherwise it moves the done folders back (the state before). Either way it deletes `cleanup`.
 *
 * Each row names the replica whose folders it moves (its data folder's id, see package-store/revisions.ts): several
 * servers on one database each recover only their own operations and never touch another's folders.
 */
export interface OperationPlan {
  id: string;
  plugin: string;
  kind: OperationKind;
  moves: Move[];
  effects: Effect[];
  /** Folders deleted once the operation committed or rolled back (staging, trash). */
  cleanup: string[];
}

interface OperationRow {
  id: string;
  plugin: string;
  kind: OperationKind;
  moves: string;
  effects: string;
  cleanup: string;
  started_at: string;
  server: string | null;
}

/** How long another replica's unfinished operation on a plugin holds that plugin against this replica's. */
const FOREIGN_OPERATION_HOLDS_MS = 10 * 60_000;

/** How many leading moves are done: a move is done when its `to` exists (none existed before its move). */
async function movesDone(moves: readonly Move[]): Promise<number> {
  let done = 0;
  for (const move of moves) {
    if (!(await exists(move.to))) break;
    done++;
  }
  return done;
}

/** Moves the first `done` folders back, last first. A `from` still present (a copy across volumes) wins. */
async function undoMoves(moves: readonly Move[], done: number): Promise<void> {
  for (const move of moves.slice(0, done).reverse()) {
    if (await exists(move.from)) await rm(move.to, { recursive: true, force: true });
    else await moveDirectory(move.to, move.from);
  }
}

/** After every move: a `from` a cross-volume copy left behind, and no later move refilled, is deleted. */
async function dropLeftoverSources(moves: readonly Move[]): Promise<void> {
  for (const [i, move] of moves.entries()) {
    const refilled = moves.slice(i + 1).some((later) => later.to === move.from);
    if (!refilled && (await exists(move.from))) await rm(move.from, { recursive: true, force: true });
  }
}

async function removeAll(paths: readonly string[], logger: Logger): Promise<void> {
  for (const p of paths) {
    await rm(p, { recursive: true, force: true }).catch((error: unknown) =>
      logger.warn({ err: error, path: p }, 'could not delete a leftover plugin package folder'),
    );
  }
}

export interface Journal {
  /** Runs an operation to its end; on any failure before the commit the folders are moved back and it throws. */
  run(plan: OperationPlan): Promise<void>;
  /** Finishes or rolls back every operation a crash interrupted, then deletes orphan staging and trash folders. */
  recover(): Promise<RecoveryReport[]>;
}

export interface RecoveryReport {
  id: string;
  plugin: string;
  kind: OperationKind;
  outcome: 'completed' | 'rolled-back';
}

export function createJournal(db: Database, layout: PackageLayout, crash: CrashPoint, logger: Logger): Journal {
  const revisions = localRevisions(layout);
  let replica: Promise<string> | undefined;
  const replicaId = () => (replica ??= replicaIdOf(layout));

  /** After a commit, the local revision files say which stored package each folder holds now. */
  async function recordRevisions(effects: readonly Effect[]): Promise<void> {
    for (const { role, name, digest } of revisionsAfter(effects)) await revisions.set(role, name, digest);
  }

  async function forget(id: string): Promise<void> {
    await db.run('DELETE FROM plugin_operations WHERE id = ?', [id]);
  }

  async function commit(id: string, effects: readonly Effect[]): Promise<void> {
    await db.transaction(async (tx) => {
      await applyEffects(tx, effects);
      await tx.run('DELETE FROM plugin_operations WHERE id = ?', [id]);
    });
  }

  async function run(plan: OperationPlan): Promise<void> {
    for (const [i, move] of plan.moves.entries()) {
      const emptiedBefore = plan.moves.slice(0, i).some((earlier) => earlier.from === move.to);
      if (!emptiedBefore && (await exists(move.to))) throw new Error(`cannot move a folder onto ${move.to}: it exists`);
      await mkdir(path.dirname(move.to), { recursive: true, mode: 0o755 });
    }
    const server = await replicaId();
    await db.transaction(async (tx) => {
      // Another replica changing this plugin at the same moment would commit over this one: one at a time.
      const holdsSince = new Date(Date.now() - FOREIGN_OPERATION_HOLDS_MS).toISOString();
      const foreign = await tx.get<{ kind: string }>(
        'SELECT kind FROM plugin_operations WHERE plugin = ? AND server <> ? AND started_at > ?',
        [plan.plugin, server, holdsSince],
      );
      if (foreign) {
        throw new HttpError(
          'conflict',
          `Another server is changing "${plan.plugin}" (${foreign.kind}) right now; try again shortly`,
        );
      }
      await tx.run(
        'INSERT INTO plugin_operations (id, plugin, kind, moves, effects, cleanup, started_at, server) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [
          plan.id,
          plan.plugin,
          plan.kind,
          JSON.stringify(plan.moves),
          JSON.stringify(plan.effects),
          JSON.stringify(plan.cleanup),
          new Date().toISOString(),
          server,
        ],
      );
    });
    crash(`${plan.kind}:journaled`);
    let done = 0;
    try {
      for (const move of plan.moves) {
        await moveDirectory(move.from, move.to);
        done++;
        crash(`${plan.kind}:moved-${done}`);
      }
      await commit(plan.id, plan.effects);
    } catch (error) {
      logger.error({ err: error, operation: plan.id, plugin: plan.plugin }, `plugin ${plan.kind} failed; undoing it`);
      await undoMoves(plan.moves, done);
      await forget(plan.id).catch(() => {});
      await removeAll(plan.cleanup, logger);
      throw error;
    }
    crash(`${plan.kind}:committed`);
    await recordRevisions(plan.effects);
    await removeAll(plan.cleanup, logger);
  }

  async function recoverOne(row: OperationRow): Promise<RecoveryReport> {
    const moves = JSON.parse(row.moves) as Move[];
    const done = await movesDone(moves);
    let outcome: RecoveryReport['outcome'];
    if (done === moves.length) {
      await dropLeftoverSources(moves);
      const effects = JSON.parse(row.effects) as Effect[];
      await commit(row.id, effects);
      await recordRevisions(effects);
      outcome = 'completed';
    } else {
      await undoMoves(moves, done);
      await forget(row.id);
      outcome = 'rolled-back';
    }
    await removeAll(JSON.parse(row.cleanup) as string[], logger);
    return { id: row.id, plugin: row.plugin, kind: row.kind, outcome };
  }

  async function sweep(): Promise<void> {
    const children = async (dir: string) => (await readdir(dir).catch(() => [])).map((name) => path.join(dir, name));
    await removeAll([...(await children(layout.staging)), ...(await children(layout.trash))], logger);
    const copies = (await readdir(layout.pluginsDirectory).catch(() => [])).filter((n) => n.startsWith(COPY_PREFIX));
    await removeAll(
      copies.map((name) => path.join(layout.pluginsDirectory, name)),
      logger,
    );
    // A pending folder without its database row (or the reverse) is the trace of an operation that never began.
    // A row naming a stored package is not: this replica fetches it (package-store/sync.ts).
    const rows = await db.all<{ name: string }>('SELECT name FROM plugin_pending_updates WHERE digest IS NULL');
    const stored = await db.all<{ name: string }>('SELECT name FROM plugin_pending_updates WHERE digest IS NOT NULL');
    const pendingFolders = await readdir(layout.pending).catch(() => [] as string[]);
    await removeAll(
      pendingFolders
        .filter((name) => ![...rows, ...stored].some((r) => r.name === name))
        .map((name) => layout.pendingFor(name)),
      logger,
    );
    for (const row of rows) {
      if (!(await exists(layout.pendingFor(row.name)))) {
        await db.run('DELETE FROM plugin_pending_updates WHERE name = ?', [row.name]);
      }
    }
  }

  return {
    run,
    async recover() {
      // Rows without a server were written before several replicas could share a database: one server's own.
      const rows = await db.all<OperationRow>(
        'SELECT * FROM plugin_operations WHERE server = ? OR server IS NULL ORDER BY started_at, id',
        [await replicaId()],
      );
      const reports: RecoveryReport[] = [];
      for (const row of rows) {
        const report = await recoverOne(row);
        logger.warn(report, `an interrupted plugin ${row.kind} of "${row.plugin}" was ${report.outcome}`);
        reports.push(report);
      }
      await sweep();
      return reports;
    },
  };
}
