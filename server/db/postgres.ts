import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Database, RunResult, SqlValue } from './database.ts';
import { DatabaseUnavailableError, isConnectionError, maskedUrl } from './errors.ts';

/**
 * Rewrites `?` placeholders to PostgreSQL's `$1, $2, …`, leaving question marks inside string literals, quoted
 * identifiers and comments alone.
 */
export function toPostgresPlaceholders(sql: string): string {
  let out = '';
  let n = 0;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    const skipTo = (end: string) => {
      const stop = sql.indexOf(end, i + 1);
      const j = stop === -1 ? sql.length : stop + end.length;
      out += sql.slice(i, j);
      i = j - 1;
    };
    if (c === "'" || c === '"') skipTo(c);
    else if (c === '-' && sql[i + 1] === '-') skipTo('\n');
    else if (c === '/' && sql[i + 1] === '*') skipTo('*/');
    else if (c === '?') out += `$${++n}`;
    else out += c;
  }
  return out;
}

/** The advisory lock key every transaction holds until it ends ("dbtx"). */
const TRANSACTIONS_LOCK = 0x6462_7478;

const toNumber = (value: string) => Number(value);

/**
 * Values come back as SQLite gives them, so callers never see the backend: COUNT and other 64-bit integers and
 * NUMERIC as numbers (not strings), booleans as 1/0, timestamps as ISO-8601 strings.
 */
const sqliteLikeTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    switch (oid) {
      case pg.types.builtins.INT8:
      case pg.types.builtins.NUMERIC:
        return toNumber;
      case pg.types.builtins.BOOL:
        return (value: string) => (value === 't' ? 1 : 0);
      case pg.types.builtins.TIMESTAMPTZ:
      case pg.types.builtins.TIMESTAMP:
        return (value: string) =>
          new Date(value.includes('+') || value.endsWith('Z') ? value : `${value}Z`).toISOString();
      default:
        return pg.types.getTypeParser(oid, format);
    }
  },
} as unknown as pg.CustomTypesConfig;

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

interface Statement {
  text: string;
  /** Set for a single data statement: each connection parses and plans it once, then only binds and runs it. */
  name?: string;
}

/** The most statements kept; beyond it (SQL built with ever new texts) they run unnamed, converted each time. */
const MAX_NAMED_STATEMENTS = 1000;
const statements = new Map<string, Statement>();

/** `sql` rewritten for PostgreSQL once per process, with the name it is prepared under on each connection. */
function statementFor(sql: string): Statement {
  const known = statements.get(sql);
  if (known) return known;
  const text = toPostgresPlaceholders(sql);
  if (statements.size >= MAX_NAMED_STATEMENTS) return { text };
  // Only single data statements: a script of several statements (migrations) cannot be prepared.
  const preparable = /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b/i.test(text) && !text.includes(';');
  const statement = preparable ? { text, name: `wb_${createHash('sha1').update(text).digest('hex')}` } : { text };
  statements.set(sql, statement);
  return statement;
}

/**
 * A prepared `SELECT *` fails once its table gains a column (another server migrated the shared database): the
 * statement is run unnamed from then on, by every connection, so it is planned afresh each time.
 */
const isStalePlan = (error: unknown) =>
  (error as { code?: string }).code === '0A000' && /cached plan must not change result type/.test(String(error));

/** Runs one statement, turning a lost connection into the error the API answers 503 for. */
async function query(on: Queryable, sql: string, params: readonly SqlValue[] = []): Promise<pg.QueryResult> {
  const statement = statementFor(sql);
  const values = params.map(bindable);
  try {
    return await on.query({ ...statement, values });
  } catch (error) {
    if (isConnectionError(error)) throw new DatabaseUnavailableError(error);
    if (statement.name && isStalePlan(error)) {
      statements.set(sql, { text: statement.text });
      // Outside a transaction nothing was aborted: the statement is simply run again. Inside, the transaction
      // failed and its caller sees the error, as for any other failed statement.
      if (on instanceof pg.Pool) return query(on, sql, params);
    }
    throw error;
  }
}

const bindable = (value: SqlValue) => (typeof value === 'bigint' ? value.toString() : value);

function handleOn(on: Queryable, transaction: Database['transaction']): Database {
  return {
    dialect: 'postgres',
    all: async <T>(sql: string, params?: readonly SqlValue[]) => (await query(on, sql, params)).rows as T[],
    get: async <T>(sql: string, params?: readonly SqlValue[]) =>
      (await query(on, sql, params)).rows[0] as T | undefined,
    run: async (sql, params): Promise<RunResult> => ({ changes: (await query(on, sql, params)).rowCount ?? 0 }),
    transaction,
    close: () => Promise.reject(new Error('cannot close the database inside a transaction')),
  };
}

export interface NotificationHandlers {
  message(payload: string): void;
  /** Called after the connection was lost and made again: notifications sent meanwhile are gone, so catch up. */
  reconnected?(): void;
}

export interface PostgresDatabase extends Database {
  /** Sends `payload` to every connection listening on `channel` (NOTIFY), once the current transaction commits. */
  notify(channel: string, payload: string): Promise<void>;
  /**
   * Follows `channel` (LISTEN) on a connection of its own, made again whenever it is lost. Resolves once
   * listening; returns what stops it. The seam for changes that must reach every server on one database.
   */
  listen(channel: string, handlers: NotificationHandlers): Promise<() => Promise<void>>;
  /**
   * Runs `work` while holding the cluster-wide advisory lock `key` on one pooled connection: other processes
   * asking for the same key wait. Used for migrations and other once-per-cluster work at start.
   */
  exclusively<T>(key: number, work: (db: Database) => Promise<T>): Promise<T>;
}

/**
 * PostgreSQL through node-postgres' pool. A transaction runs on one client checked out for it; everything else
 * on whichever client is free. A connection lost at run time makes the statements on it fail with
 * DatabaseUnavailableError (503); the pool opens new connections once the database is back.
 */
export async function openPostgresDatabase(url: string): Promise<PostgresDatabase> {
  if (!/^postgres(ql)?:\/\/[^/]/.test(url)) {
    throw new Error(
      `DATABASE_URL must be a PostgreSQL URL, postgres://user:password@host:port/database; it is ${maskedUrl(url)}`,
    );
  }
  const pool = new pg.Pool({
    connectionString: url,
    types: sqliteLikeTypes,
    max: 10,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client whose server went away emits here; without a listener that would crash the process.
  pool.on('error', () => {});

  async function withClient<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw new DatabaseUnavailableError(error);
    }
    let broken: unknown;
    try {
      return await work(client);
    } catch (error) {
      if (error instanceof DatabaseUnavailableError) broken = error;
      throw error;
    } finally {
      // A client whose connection failed is destroyed rather than handed to the next caller.
      client.release(broken as Error | undefined);
    }
  }

  const transaction: Database['transaction'] = (work) =>
    withClient(async (client) => {
      const nested: Database = handleOn(client, (inner) => inner(nested));
      await query(client, 'BEGIN');
      try {
        // One writing transaction at a time across the cluster, as SQLite's BEGIN IMMEDIATE gives: features read,
        // decide and write in a transaction (the last admin, log numbering) and rely on nobody writing between.
        await query(client, 'SELECT pg_advisory_xact_lock(?)', [TRANSACTIONS_LOCK]);
        const result = await work(nested);
        await query(client, 'COMMIT');
        return result;
      } catch (error) {
        if (error instanceof DatabaseUnavailableError) throw error;
        // A client that cannot even roll back is not handed to the next caller.
        await client.query('ROLLBACK').catch((rollbackError: unknown) => {
          throw new DatabaseUnavailableError(rollbackError);
        });
        throw error;
      }
    });

  const listeners = new Set<() => Promise<void>>();
  const db: PostgresDatabase = {
    ...handleOn(pool, transaction),
    close: async () => {
      await Promise.all([...listeners].map((stop) => stop()));
      await pool.end();
    },
    notify: async (channel, payload) => {
      await db.run('SELECT pg_notify(?, ?)', [channelName(channel), payload]);
    },
    listen: async (channel, handlers) => {
      const stop = await listenOn(url, channelName(channel), handlers);
      const remove = async () => {
        listeners.delete(remove);
        await stop();
      };
      listeners.add(remove);
      return remove;
    },
    exclusively: (key, work) =>
      withClient(async (client) => {
        await query(client, 'SELECT pg_advisory_lock(?)', [key]);
        try {
          return await work(handleOn(client, transaction));
        } finally {
          await client.query('SELECT pg_advisory_unlock($1)', [key]).catch(() => undefined);
        }
      }),
  };

  try {
    await db.get('SELECT 1');
  } catch (error) {
    await pool.end();
    const reason = messageOf(error instanceof DatabaseUnavailableError ? error.cause : error);
    throw new Error(`Cannot connect to the PostgreSQL database in DATABASE_URL (${maskedUrl(url)}): ${reason}`, {
      cause: error,
    });
  }
  return db;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Channels are identifiers in LISTEN; only plain names are accepted, so no quoting is ever needed. */
function channelName(channel: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`"${channel}" is not a notification channel name`);
  return channel;
}

/** A dedicated client LISTENing on `channel`; on loss, tries again every second until it is back. */
async function listenOn(url: string, channel: string, handlers: NotificationHandlers): Promise<() => Promise<void>> {
  let stopped = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;

  async function connect(): Promise<void> {
    const next = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
    next.on('notification', (n) => {
      if (n.channel === channel) handlers.message(n.payload ?? '');
    });
    next.on('error', () => lost(next));
    next.on('end', () => lost(next));
    await next.connect();
    await next.query(`LISTEN ${channel}`);
    client = next;
  }

  function lost(which: pg.Client): void {
    if (stopped || which !== client || retry) return;
    client = undefined;
    which.end().catch(() => undefined);
    const again = () => {
      retry = undefined;
      if (stopped) return;
      connect().then(
        () => handlers.reconnected?.(),
        () => (retry = setTimeout(again, 1000)),
      );
    };
    retry = setTimeout(again, 1000);
  }

  await connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await client?.end().catch(() => undefined);
  };
}
