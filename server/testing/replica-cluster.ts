// Several whole server processes on one throwaway PostgreSQL, as replicas behind one address run: for the tests and
// benches of what only a cluster shows (changes reaching the other replicas, schedules, crashes, the package store).
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase } from './postgres.ts';
import { startPostgresCluster, type PostgresCluster } from './postgres-cluster.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';
import { writeWorkspacesFile, type TestWorkspace } from './workspaces-file.ts';

/** The instance admin the first replica creates on the shared database and every replica signs in. */
export const REPLICA_ADMIN = { username: 'admin', password: 'replica-admin-password' };

export interface ReplicaClusterOptions {
  /** The workspaces of the one workbench.config.json all replicas read. */
  workspaces: TestWorkspace[];
  /**
   * `shared`: one `<dir>/plugins` for all, as replicas on one volume; `per-replica`: `<dir>/<replica>/plugins`
   * each, as replicas with disks of their own (which only the package store fills).
   */
  plugins: 'shared' | 'per-replica';
  /** Settings of every replica on top of the defaults (database, folders, admin, PLUGINS_WATCH=false). */
  env?: Record<string, string>;
  /** Writes plugins and other files into the cluster's folder before any replica starts. */
  prepare?: (dir: string) => void;
}

export interface Replica {
  readonly name: string;
  readonly process: ServerProcess;
  readonly url: string;
  /** The admin's session cookie on this replica. */
  readonly cookie: string;
  /** A request to `route` as the admin (or `cookie`) with the Origin a browser sends; a Buffer body goes as a zip. */
  send(method: string, route: string, options?: { body?: object | Buffer; cookie?: string }): Promise<Response>;
  /** GETs `route` as the admin (or `cookie`) and returns its JSON; throws naming the route unless it answers 200. */
  getJson<T>(route: string, cookie?: string): Promise<T>;
}

export interface ReplicaCluster {
  /** The folder holding the workspaces file, the plugins and each replica's data; opened to other users (0755). */
  readonly dir: string;
  /** The replicas' database, for tests that look at or change it behind their back. */
  readonly databaseUrl: string;
  dataDirectory(replica: string): string;
  pluginsDirectory(replica: string): string;
  /** Starts replica `name` (its folders kept across restarts) with `env` on top of the cluster's; signs the admin in. */
  start(name: string, env?: Record<string, string>): Promise<Replica>;
  /** Stops every replica still running and the database, and deletes the folder. */
  destroy(): Promise<void>;
}

/** Starts PostgreSQL with an empty database and writes the folder; replicas start with `start`. */
export async function startReplicaCluster(options: ReplicaClusterOptions): Promise<ReplicaCluster> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wb-replicas-'));
  // Sandboxed backends run under another user id and must read the plugin folders.
  chmodSync(dir, 0o755);
  let postgres: PostgresCluster | undefined;
  const started: ServerProcess[] = [];
  const destroy = async () => {
    await Promise.all(started.map((p) => p.stop()));
    postgres?.destroy();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const config = writeWorkspacesFile(dir, options.workspaces);
    const dataDirectory = (replica: string) => path.join(dir, replica, 'data');
    const pluginsDirectory = (replica: string) =>
      options.plugins === 'shared' ? path.join(dir, 'plugins') : path.join(dir, replica, 'plugins');
    if (options.plugins === 'shared') mkdirSync(path.join(dir, 'plugins'));
    options.prepare?.(dir);
    postgres = await startPostgresCluster();
    const databaseUrl = await createTestDatabase(postgres.url());
    return {
      dir,
      databaseUrl,
      dataDirectory,
      pluginsDirectory,
      async start(name, env = {}) {
        mkdirSync(pluginsDirectory(name), { recursive: true });
        const server = await startServerProcess({
          env: {
            DATABASE_URL: databaseUrl,
            WORKBENCH_DATA_DIR: dataDirectory(name),
            PLUGINS_DIRECTORY: pluginsDirectory(name),
            WORKBENCH_CONFIG: config,
            WORKBENCH_ADMIN_USERNAME: REPLICA_ADMIN.username,
            WORKBENCH_ADMIN_PASSWORD: REPLICA_ADMIN.password,
            PLUGINS_WATCH: 'false',
            ...options.env,
            ...env,
          },
          readyTimeoutMs: 60_000,
        });
        started.push(server);
        return replicaOf(name, server, await server.signIn(REPLICA_ADMIN.username, REPLICA_ADMIN.password));
      },
      destroy,
    };
  } catch (error) {
    await destroy();
    throw error;
  }
}

function replicaOf(name: string, server: ServerProcess, adminCookie: string): Replica {
  const send: Replica['send'] = (method, route, { body, cookie = adminCookie } = {}) => {
    const zip = body instanceof Buffer;
    return fetch(`${server.url}${route}`, {
      method,
      headers: {
        cookie,
        origin: server.url,
        ...(body === undefined ? {} : { 'content-type': zip ? 'application/zip' : 'application/json' }),
      },
      ...(body === undefined ? {} : { body: zip ? new Uint8Array(body) : JSON.stringify(body) }),
    });
  };
  return {
    name,
    process: server,
    url: server.url,
    cookie: adminCookie,
    send,
    async getJson<T>(route: string, cookie?: string) {
      const response = await send('GET', route, { cookie });
      if (response.status !== 200)
        throw new Error(`GET ${route} answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as T;
    },
  };
}
