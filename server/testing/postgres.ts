import { randomUUID } from 'node:crypto';
import pg from 'pg';

/**
 * Set by scripts/test.ts for its PostgreSQL pass: the superuser URL of a throwaway cluster. When set, every test
 * app and store test opens a fresh PostgreSQL database on it instead of a SQLite file.
 */
export const TEST_POSTGRES_ENV = 'WORKBENCH_TEST_POSTGRES_URL';

/** Creates an empty database on `adminUrl`'s cluster and returns its URL. */
export async function createTestDatabase(adminUrl: string): Promise<string> {
  const name = `wb_${randomUUID().replaceAll('-', '')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A fresh PostgreSQL database in the PostgreSQL pass, undefined (SQLite) otherwise: pass it as DATABASE_URL. */
export async function testDatabaseUrl(): Promise<string | undefined> {
  const adminUrl = process.env[TEST_POSTGRES_ENV];
  return adminUrl ? createTestDatabase(adminUrl) : undefined;
}
