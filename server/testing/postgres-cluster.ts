import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './server-process.ts';

/** Where Debian's PostgreSQL 15 puts initdb and pg_ctl; /usr/local/bin holds links to them on some machines. */
const binaryFolders = ['/usr/local/bin', '/usr/lib/postgresql/15/bin'];

/** The folder holding both initdb and pg_ctl, or undefined when PostgreSQL is not installed. */
export function postgresBinaries(): string | undefined {
  return binaryFolders.find((dir) => existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl')));
}

export interface PostgresCluster {
  readonly port: number;
  /** A URL of the `postgres` superuser on `database` (the maintenance database by default). */
  url(database?: string): string;
  /** Stops the server, keeping its files, so a test can see the database go away and `start` it again. */
  stop(): void;
  start(): void;
  /** Stops the server and deletes its folder. */
  destroy(): void;
}

/**
 * A throwaway PostgreSQL: `initdb` into a temp folder and `pg_ctl` on a free loopback port, as the `postgres`
 * user when run as root (PostgreSQL refuses to run as root). Trust authentication on loopback only: it holds
 * nothing but test data and lives as long as the tests.
 */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = postgresBinaries();
  if (!bin) throw new Error(`PostgreSQL 15 is not installed (no initdb and pg_ctl in ${binaryFolders.join(' or ')})`);
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wb-pg-'));
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'server.log');
  if (asRoot) {
    const ids = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gids = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    if (ids.status !== 0) throw new Error('running as root, but there is no `postgres` user to run PostgreSQL as');
    chownSync(dir, Number(ids.stdout.trim()), Number(gids.stdout.trim()));
  }
  const pgRun = (program: string, args: string[]) => {
    const command = path.join(bin, program);
    const result = asRoot
      ? spawnSync('runuser', ['-u', 'postgres', '--', command, ...args], { encoding: 'utf8' })
      : spawnSync(command, args, { encoding: 'utf8' });
    if (result.status !== 0) {
      const log = existsSync(logFile) ? spawnSync('tail', ['-n', '20', logFile], { encoding: 'utf8' }).stdout : '';
      throw new Error(`${program} ${args.join(' ')} failed: ${result.stderr || result.error?.message}\n${log}`);
    }
  };

  pgRun('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-sync', '-N']);
  const port = await freePort();
  writeFileSync(
    path.join(dataDir, 'postgresql.auto.conf'),
    [
      `port = ${port}`,
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${dir}'`,
      'fsync = off',
      'synchronous_commit = off',
      'full_page_writes = off',
      'max_connections = 300',
      '',
    ].join('\n'),
  );
  if (asRoot) spawnSync('chown', ['postgres:', path.join(dataDir, 'postgresql.auto.conf')]);
  const start = () => pgRun('pg_ctl', ['-D', dataDir, '-l', logFile, '-w', '-t', '60', 'start']);
  const stop = (mode: 'fast' | 'immediate') => pgRun('pg_ctl', ['-D', dataDir, '-m', mode, '-w', 'stop']);
  start();
  let running = true;
  return {
    port,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    // A database that goes away and comes back keeps what was committed: with synchronous_commit off (for speed),
    // an immediate stop could lose the last commits, such as a session made just before.
    stop() {
      stop('fast');
      running = false;
    },
    start() {
      start();
      running = true;
    },
    destroy() {
      if (running) stop('immediate');
      running = false;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
