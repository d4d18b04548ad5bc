import type { DuckDBInstance } from '@duckdb/node-api';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  DEFAULT_ROW_LIMIT,
  MAX_ROW_LIMIT,
  type SqlModels,
  type SqlQueryResult,
  type SqlTables,
} from '@dbt-workbench/plugin-sdk/contracts/sql.schema';
import type { Workspace } from '../workspaces/config.ts';
import { explainMissingTable } from './missing-table.ts';
import { attachModels, copyModelsDatabase } from './models-database.ts';
import { createManifestReader, locateModels, type ManifestRelation, type ModelsLocation } from './models-source.ts';
import { listSeeds, seedsSignature, writeSeedDatabase, type LoadedSeeds } from './seeds.ts';
import { createCellConverter, type CellConverter } from './values.ts';

type DuckDb = typeof import('@duckdb/node-api');

/** How long a query may run when the caller names no timeout. */
export const DEFAULT_SQL_TIMEOUT_MS = 30_000;

export interface SqlQueryOptions {
  /** Rows to answer at most: 1 to 10,000, 1,000 by default. */
  limit?: number;
  /** The query is interrupted after this many milliseconds; 30 s by default. */
  timeoutMs?: number;
}

/** Why a query failed: DuckDB rejected it (`sql_error`) or it ran out of time (`sql_timeout`). */
export class SqlQueryError extends Error {
  readonly kind: 'sql_error' | 'sql_timeout';

  constructor(kind: 'sql_error' | 'sql_timeout', message: string) {
    super(message);
    this.kind = kind;
  }
}

/**
 * SQL over a workspace's seeds and its project's models in an embedded DuckDB. The SQL feature serves it over
 * HTTP; the plugin capability `access-sql-workspace` calls the same object.
 */
export interface SqlService {
  /** Runs `sql` (one or more statements; the last one's rows answer). Throws `SqlQueryError`. */
  query(workspace: Workspace, sql: string, options?: SqlQueryOptions): Promise<SqlQueryResult>;
  /** The seed tables with their columns, the seeds that failed to load, and the models (or why there are none). */
  tables(workspace: Workspace): Promise<SqlTables>;
  /** Closes every database; a later call opens them again. */
  close(): Promise<void>;
}

/**
 * One loaded copy of a workspace's seeds (a read-only DuckDB file) with a copy of its models database attached,
 * replaced when a CSV or the models database changes.
 */
interface Generation {
  instance: DuckDBInstance;
  directory: string;
  signature: string;
  loaded: LoadedSeeds;
  models: SqlModels;
  /** Set on every query connection, so seeds and models are reached by their bare names. */
  searchPath: string;
  /** The relations the manifest knows, to explain a missing table. */
  relations: ManifestRelation[];
  loadedAt: string;
  /** Queries running on it; a retired generation closes when the last one ends. */
  active: number;
  retired: boolean;
}

interface Slot {
  current?: Generation;
  loading?: Promise<Generation>;
}

async function dispose(generation: Generation): Promise<void> {
  try {
    generation.instance.closeSync();
  } finally {
    await rm(generation.directory, { recursive: true, force: true });
  }
}

const SCRATCH_PREFIX = 'wb-sql-';

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the scratch folders of servers that died without closing (their names carry their process id). */
async function removeOrphans(): Promise<void> {
  const names = await readdir(os.tmpdir()).catch(() => [] as string[]);
  for (const name of names) {
    const pid = Number(new RegExp(`^${SCRATCH_PREFIX}(\\d+)-`).exec(name)?.[1]);
    if (pid && pid !== process.pid && !processIsAlive(pid))
      await rm(path.join(os.tmpdir(), name), { recursive: true, force: true }).catch(() => undefined);
  }
}

/** Creates the service. Nothing is loaded until a workspace is first queried. */
export function createSqlService(): SqlService {
  const slots = new Map<string, Slot>();
  let duckdbModule: Promise<DuckDb> | undefined;
  let converter: CellConverter | undefined;
  let scratch: Promise<string> | undefined;
  let counter = 0;
  const readManifest = createManifestReader();

  const duckdb = (): Promise<DuckDb> => (duckdbModule ??= import('@duckdb/node-api'));
  // One folder per service (so several servers or test apps never share files), removed on close.
  const scratchDirectory = (): Promise<string> =>
    (scratch ??= removeOrphans()
      .then(() => mkdtemp(path.join(os.tmpdir(), `${SCRATCH_PREFIX}${process.pid}-`)))
      .catch((error: unknown) => {
        scratch = undefined;
        throw error;
      }));

  async function load(workspace: Workspace, signature: string, location: ModelsLocation): Promise<Generation> {
    const module = await duckdb();
    const seeds = await listSeeds(workspace.seedsDir);
    const directory = path.join(await scratchDirectory(), `${workspace.name}-${++counter}`);
    await mkdir(directory, { recursive: true });
    // The file's name is the catalog's name in queries: `seeds.main.raw_customers`.
    const file = path.join(directory, 'seeds.duckdb');
    try {
      const loaded = await writeSeedDatabase(module, file, seeds);
      // Read-only, so one user cannot drop or change what another queries (TEMP tables still work),
      // and locked away from the server's files: no read_csv('/etc/passwd'), COPY, ATTACH or INSTALL.
      const instance = await module.DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
      let models: SqlModels = location.available
        ? { available: false, reason: 'The models database was not read.' }
        : { available: false, reason: location.reason };
      let searchPath = 'seeds.main';
      try {
        const setup = await instance.connect();
        try {
          if (location.available) {
            // A models database that cannot be read (a torn copy, a newer DuckDB format) leaves the seeds usable.
            try {
              const copy = await copyModelsDatabase(location.file, directory);
              const seedNames = loaded.tables.map((t) => t.name);
              ({ models, searchPath } = await attachModels(setup, copy, location, seedNames, workspace.projectDir));
            } catch (error) {
              const name = path.relative(workspace.projectDir, location.file);
              models = {
                available: false,
                reason: `The models database ${name} could not be read: ${(error as Error).message}`,
              };
            }
          }
          // Attached before this: from here on no file outside can be opened.
          await setup.run('SET enable_external_access = false');
          await setup.run('SET lock_configuration = true');
        } finally {
          setup.disconnectSync();
        }
      } catch (error) {
        instance.closeSync();
        throw error;
      }
      return {
        instance,
        directory,
        signature,
        loaded,
        models,
        searchPath,
        relations: location.relations,
        loadedAt: new Date().toISOString(),
        active: 0,
        retired: false,
      };
    } catch (error) {
      await rm(directory, { recursive: true, force: true });
      throw error;
    }
  }

  /**
   * The generation matching the seeds and models database on disk now (loading a new one when either changed),
   * held until released.
   */
  async function acquire(workspace: Workspace): Promise<Generation> {
    // Keyed by folders, not name: test apps in one process may each have a workspace "default".
    const key = `${workspace.seedsDir}\n${workspace.targetDir}`;
    const slot = slots.get(key) ?? {};
    slots.set(key, slot);
    const location = await locateModels(workspace, await readManifest(workspace.targetDir));
    const signature = [
      seedsSignature(await listSeeds(workspace.seedsDir)),
      location.available ? location.signature : location.reason,
      location.relations.length,
    ].join('\n');
    let generation = slot.current;
    if (!generation || generation.signature !== signature) {
      slot.loading ??= load(workspace, signature, location)
        .then((loaded) => {
          const previous = slot.current;
          slot.current = loaded;
          if (previous) void retire(previous);
          return loaded;
        })
        .finally(() => {
          slot.loading = undefined;
        });
      generation = await slot.loading;
    }
    // Retired while this caller waited (a newer load won, or the service closed): take the newest instead.
    if (generation.retired) return acquire(workspace);
    generation.active++;
    return generation;
  }

  async function release(generation: Generation): Promise<void> {
    generation.active--;
    if (generation.retired && generation.active === 0) await dispose(generation).catch(() => undefined);
  }

  /** Marks a generation as replaced; it closes now if idle, else when its last query ends. */
  async function retire(generation: Generation): Promise<void> {
    generation.retired = true;
    if (generation.active === 0) await dispose(generation).catch(() => undefined);
  }

  async function withGeneration<T>(workspace: Workspace, work: (g: Generation) => Promise<T>): Promise<T> {
    const generation = await acquire(workspace);
    try {
      return await work(generation);
    } finally {
      await release(generation);
    }
  }

  return {
    async query(workspace, sql, options = {}) {
      const limit = Math.min(Math.max(1, Math.floor(options.limit ?? DEFAULT_ROW_LIMIT)), MAX_ROW_LIMIT);
      const timeoutMs = options.timeoutMs ?? DEFAULT_SQL_TIMEOUT_MS;
      const module = await duckdb();
      const convert = (converter ??= createCellConverter(module));
      return withGeneration(workspace, async (generation) => {
        // A connection per query: its TEMP tables and settings are its own, and a timeout interrupts only it.
        const connection = await generation.instance.connect();
        const started = performance.now();
        let timedOut = false;
        const timer = setTimeout(() => {
          timedOut = true;
          connection.interrupt();
        }, timeoutMs);
        try {
          await connection.run(`SET search_path = '${generation.searchPath.replaceAll("'", "''")}'`);
          // Streaming stops reading once one row past the limit shows the result is truncated.
          const reader = await connection.streamAndReadUntil(sql, limit + 1);
          const rowCount = Math.min(reader.currentRowCount, limit);
          const types = reader.columnTypes();
          const rows: unknown[][] = [];
          for (let row = 0; row < rowCount; row++) {
            rows.push(types.map((type, column) => convert(reader.value(column, row), type)));
          }
          return {
            columns: reader.columnNames().map((name, i) => ({ name, type: String(types[i]) })),
            rows,
            rowCount,
            limit,
            truncated: reader.currentRowCount > limit,
            elapsedMs: Math.round((performance.now() - started) * 10) / 10,
          };
        } catch (error) {
          if (timedOut) {
            throw new SqlQueryError(
              'sql_timeout',
              `The query was stopped after ${timeoutMs / 1000} s, the time limit of this server (SQL_TIMEOUT_MS). ` +
                'Narrow it down, for example with a WHERE clause or a LIMIT.',
            );
          }
          // The client library prefixes parse errors with its own words; the rest is DuckDB's message.
          const message = (error as Error).message.replace(/^Failed to extract statements: /, '');
          const missing = explainMissingTable(message, {
            seeds: generation.loaded.tables.map((t) => t.name),
            models: generation.models,
            projectRelations: new Map(generation.relations.map((r) => [r.name.toLowerCase(), r.resourceType])),
          });
          throw new SqlQueryError('sql_error', missing ?? message);
        } finally {
          clearTimeout(timer);
          connection.disconnectSync();
        }
      });
    },

    async tables(workspace) {
      return withGeneration(workspace, async (generation) => ({
        ...generation.loaded,
        models: generation.models,
        loadedAt: generation.loadedAt,
      }));
    },

    async close() {
      const pending = [...slots.values()].map((slot) => slot.loading).filter((p) => p !== undefined);
      await Promise.allSettled(pending);
      const current = [...slots.values()].map((slot) => slot.current).filter((g) => g !== undefined);
      slots.clear();
      await Promise.all(current.map(retire));
      const directory = scratch;
      scratch = undefined;
      // Files of generations still in use go when their last query ends; the folder goes now or then.
      if (directory) await rm(await directory, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}
