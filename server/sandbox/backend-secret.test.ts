import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { Database } from '../db/database.ts';
import { openDatabase } from '../db/open.ts';
import { testDatabaseUrl } from '../testing/postgres.ts';
import { backendSecret } from './backend-secret.ts';

// Two servers on one database, each with its own data folder (a real database: SQLite here, PostgreSQL in its pass).

let root: string;
let db: Database;
const folder = (name: string) => path.join(root, name);

beforeEach(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'wb-backend-secret-'));
  db = await openDatabase({ dataDirectory: folder('a'), databaseUrl: await testDatabaseUrl() });
});
afterEach(async () => {
  await db.close();
  rmSync(root, { recursive: true, force: true });
});

test('servers without PLUGIN_BACKEND_SECRET share one generated secret, written to each data folder for operators', async () => {
  const a = await backendSecret(undefined, folder('a'), db);
  const b = await backendSecret(undefined, folder('b'), db);
  expect(a).toMatch(/^[\w-]{40,}$/);
  expect(b).toBe(a);
  for (const server of ['a', 'b']) {
    const file = path.join(folder(server), 'plugin-backend-secret');
    expect(readFileSync(file, 'utf8')).toBe(a);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  }
});

test('a secret an earlier version generated into the data folder is adopted by every server; the setting wins', async () => {
  writeFileSync(path.join(folder('a'), 'plugin-backend-secret'), 'kept-from-an-earlier-version\n');
  expect(await backendSecret(undefined, folder('a'), db)).toBe('kept-from-an-earlier-version');
  expect(await backendSecret(undefined, folder('b'), db)).toBe('kept-from-an-earlier-version');
  expect(await backendSecret('configured-secret-value', folder('b'), db)).toBe('configured-secret-value');
});
