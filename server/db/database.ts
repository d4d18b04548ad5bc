/**
 * Values a statement can bind. Timestamps are ISO-8601 strings and booleans are 0/1, on every backend; bytes
 * (a BLOB column) are a Uint8Array, and come back as one (a Buffer on PostgreSQL).
 */
export type SqlValue = string | number | bigint | null | Uint8Array;

export interface RunResult {
  changes: number;
}

/**
 * The data layer every feature talks to. Statements use `?` placeholders and portable SQL; each backend
 * (SQLite now, PostgreSQL later) adapts them, so callers never change with the backend.
 */
export interface Database {
  readonly dialect: 'sqlite' | 'postgres';
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  run(sql: string, params?: readonly SqlValue[]): Promise<RunResult>;
  /** Runs `work` atomically: all its statements commit together or none do. */
  transaction<T>(work: (tx: Database) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
