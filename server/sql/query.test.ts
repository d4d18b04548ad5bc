import { appendFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { SqlQueryResult, SqlTables } from '@dbt-workbench/plugin-sdk/contracts/sql.schema';
import { startTestApp, type TestApp, type TestAppOptions } from '../testing/test-app.ts';
import { createSqlFeature } from './feature.ts';
import { createSqlService } from './service.ts';

const demoClassic = path.resolve(import.meta.dirname, '../../demo/workspaces/jaffle-shop-classic');

let app: TestApp | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** Writes CSVs into the seeds folder of workspace "default". */
function seeds(files: Record<string, string>): (dir: string) => void {
  return (dir) => {
    for (const [name, text] of Object.entries(files)) {
      const file = path.join(dir, 'workspaces/default/seeds', name);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
  };
}

async function start(options: TestAppOptions = {}): Promise<TestApp> {
  app = await startTestApp({ features: [createSqlFeature(createSqlService())], ...options });
  return app;
}

async function query(sql: string, extra: { limit?: number; cookie?: string; workspace?: string } = {}) {
  if (!app) throw new Error('start the app first');
  const response = await app.server.inject({
    method: 'POST',
    url: `/api/workspaces/${extra.workspace ?? 'default'}/sql/query`,
    headers: { cookie: extra.cookie ?? app.adminCookie },
    payload: extra.limit === undefined ? { sql } : { sql, limit: extra.limit },
  });
  return { status: response.statusCode, body: response.json() };
}

async function rows(sql: string): Promise<SqlQueryResult> {
  const response = await query(sql);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body as SqlQueryResult;
}

describe('SQL workspace queries', () => {
  test('the demo seeds load as tables: raw_customers has 100 rows', async () => {
    await start({ workspaces: [{ name: 'jaffle-shop-classic', projectDir: demoClassic }] });
    const count = await query('select count(*) as n from raw_customers', { workspace: 'jaffle-shop-classic' });
    expect(count.status).toBe(200);
    expect(count.body.columns).toEqual([{ name: 'n', type: 'BIGINT' }]);
    expect(count.body.rows).toEqual([[100]]);

    const tables = await app!.server.inject({
      url: '/api/workspaces/jaffle-shop-classic/sql/tables',
      headers: { cookie: app!.adminCookie },
    });
    const body = tables.json() as SqlTables;
    expect(body.tables.map((t) => t.name)).toEqual(['raw_customers', 'raw_orders', 'raw_payments']);
    expect(body.tables[0]).toMatchObject({ file: 'raw_customers.csv', rowCount: 100 });
    expect(body.tables[0]?.columns).toEqual([
      { name: 'id', type: 'BIGINT' },
      { name: 'first_name', type: 'VARCHAR' },
      { name: 'last_name', type: 'VARCHAR' },
    ]);
    expect(body.problems).toEqual([]);
  });

  test('columns carry DuckDB types and values come back as JSON that keeps them exact', async () => {
    await start({
      prepare: seeds({
        'people.csv':
          'id,name,born,score,big,active\n1,Ada,1990-01-02,1.5,9007199254740993,true\n2,Bo,,2.25,12,false\n',
      }),
    });
    const people = await rows('select * from people order by id');
    expect(people.columns).toEqual([
      { name: 'id', type: 'BIGINT' },
      { name: 'name', type: 'VARCHAR' },
      { name: 'born', type: 'DATE' },
      { name: 'score', type: 'DOUBLE' },
      { name: 'big', type: 'BIGINT' },
      { name: 'active', type: 'BOOLEAN' },
    ]);
    expect(people.rows).toEqual([
      [1, 'Ada', '1990-01-02', 1.5, '9007199254740993', true],
      [2, 'Bo', null, 2.25, 12, false],
    ]);

    const literals = await rows(
      `select 1.25::decimal(10,2) as small_decimal, 12345678901234567890.12::decimal(38,2) as wide_decimal,
              170141183460469231731687303715884105727::hugeint as huge, 42::hugeint as small_huge,
              timestamp '2020-01-02 03:04:05.123' as ts, '\\xAA\\xBB'::blob as bytes,
              repeat('x', 40)::blob as long_bytes, [1, 2] as list, {'a': 'b'} as struct`,
    );
    expect(literals.columns.map((c) => c.type)).toEqual([
      'DECIMAL(10,2)',
      'DECIMAL(38,2)',
      'HUGEINT',
      'HUGEINT',
      'TIMESTAMP',
      'BLOB',
      'BLOB',
      'INTEGER[]',
      'STRUCT("a" VARCHAR)',
    ]);
    expect(literals.rows).toEqual([
      [
        1.25,
        '12345678901234567890.12',
        '170141183460469231731687303715884105727',
        42,
        '2020-01-02T03:04:05.123',
        '0xaabb',
        `0x${'78'.repeat(32)}… (40 bytes)`,
        [1, 2],
        { a: 'b' },
      ],
    ]);
  });

  test('rows stop at the limit (1,000 by default) and say when they were truncated', async () => {
    await start();
    const limited = await query('select * from range(2500)', { limit: 100 });
    expect(limited.body).toMatchObject({ rowCount: 100, limit: 100, truncated: true });
    expect(limited.body.rows).toHaveLength(100);
    expect(limited.body.rows[99]).toEqual([99]);

    expect((await rows('select * from range(1500)')).rows).toHaveLength(1000);
    expect(await rows('select * from range(1500)')).toMatchObject({ rowCount: 1000, truncated: true });
    expect(await rows('select * from range(1000)')).toMatchObject({ rowCount: 1000, truncated: false });
    expect(await query('select * from range(20000)', { limit: 10_000 })).toMatchObject({
      body: { rowCount: 10_000, truncated: true },
    });

    const tooMany = await query('select 1', { limit: 10_001 });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toContain('limit');
  });

  test('a syntax error answers 400 sql_error with DuckDB message; an empty query names the field', async () => {
    await start();
    const bad = await query('selec 1');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('sql_error');
    expect(bad.body.error.message).toContain('syntax error at or near "selec"');
    expect(bad.body.error.message).toMatch(/^Parser Error: /);

    const missing = await query('select * from no_such_table');
    expect(missing).toMatchObject({ status: 400, body: { error: { code: 'sql_error' } } });
    expect(missing.body.error.message).toContain('no_such_table');

    const empty = await query('   ');
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatchObject({ code: 'bad_request' });
    expect(empty.body.error.message).toContain('sql');
  });

  test("the server's files and settings are out of reach, and the seeds cannot be changed", async () => {
    await start({ prepare: seeds({ 'items.csv': 'id\n1\n2\n' }) });
    for (const sql of [
      "select * from read_csv('/etc/passwd')",
      "select * from read_text('/etc/hostname')",
      "copy items to '/tmp/wb-sql-leak.csv'",
      "attach '/tmp/wb-sql-other.duckdb' as other",
    ]) {
      const refused = await query(sql);
      expect(refused.status, sql).toBe(400);
      expect(refused.body.error.code).toBe('sql_error');
      expect(refused.body.error.message, sql).toMatch(/disabled by configuration/);
    }
    const unlock = await query('SET enable_external_access = true');
    expect(unlock.body.error.message).toContain('the configuration has been locked');

    const drop = await query('drop table items');
    expect(drop.body.error.message).toContain('read-only');
    // Scratch tables of one query are allowed and stay private to it.
    expect((await rows('create temp table t as select 7 as x; select x from t')).rows).toEqual([[7]]);
    expect((await rows('select count(*) from items')).rows).toEqual([[2]]);
  });

  test('a query running past SQL_TIMEOUT_MS is stopped with a clear error, and the next one runs', async () => {
    await start({ env: { SQL_TIMEOUT_MS: '300' } });
    const started = Date.now();
    const slow = await query('select count(*) from range(100000000) a, range(100000000) b');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(slow.status).toBe(400);
    expect(slow.body.error.code).toBe('sql_timeout');
    expect(slow.body.error.message).toContain('stopped after 0.3 s');
    expect(slow.body.error.message).toContain('SQL_TIMEOUT_MS');
    expect((await rows('select 1 as one')).rows).toEqual([[1]]);
  });

  test('a changed, added or broken CSV is picked up by the next query', async () => {
    await start({ prepare: seeds({ 'items.csv': 'id\n1\n2\n' }) });
    const seedsDir = path.join(app!.dir, 'workspaces/default/seeds');
    expect((await rows('select count(*) from items')).rows).toEqual([[2]]);

    appendFileSync(path.join(seedsDir, 'items.csv'), '3\n');
    mkdirSync(path.join(seedsDir, 'nested'));
    writeFileSync(path.join(seedsDir, 'nested', 'colors.csv'), 'name\nred\n');
    writeFileSync(path.join(seedsDir, 'nested', 'items.csv'), 'other\nx\n');
    expect((await rows('select count(*) from items')).rows).toEqual([[3]]);
    expect((await rows('select name from colors')).rows).toEqual([['red']]);

    const tables = await app!.server.inject({
      url: '/api/workspaces/default/sql/tables',
      headers: { cookie: app!.adminCookie },
    });
    const body = tables.json() as SqlTables;
    expect(body.tables.map((t) => `${t.name} ${t.file} ${t.rowCount}`)).toEqual([
      'items items.csv 3',
      'colors nested/colors.csv 1',
    ]);
    expect(body.problems).toEqual([{ file: 'nested/items.csv', message: expect.stringContaining('already exists') }]);
  });

  test("the databases' scratch files go on close, and those of a server that died go on the next start", async () => {
    // Far above any pid_max, so certainly no running process.
    const orphan = path.join(os.tmpdir(), 'wb-sql-999999999-test');
    mkdirSync(path.join(orphan, 'default-1'), { recursive: true });
    const mine = () => readdirSync(os.tmpdir()).filter((n) => n.startsWith(`wb-sql-${process.pid}-`));
    const before = mine().length;
    await start({ prepare: seeds({ 'items.csv': 'id\n1\n' }) });
    expect((await rows('select count(*) from items')).rows).toEqual([[1]]);
    expect(existsSync(orphan)).toBe(false);
    expect(mine()).toHaveLength(before + 1);
    await app!.close();
    app = undefined;
    expect(mine()).toHaveLength(before);
  });

  test('a workspace without seeds still answers plain SQL and lists no tables', async () => {
    await start();
    expect((await rows("select 'hello' as greeting")).rows).toEqual([['hello']]);
    const tables = await app!.server.inject({
      url: '/api/workspaces/default/sql/tables',
      headers: { cookie: app!.adminCookie },
    });
    expect(tables.json()).toMatchObject({ tables: [], problems: [] });
  });

  test('only developers and admins of the workspace may query or list tables', async () => {
    await start({ workspaces: [{ name: 'default' }, { name: 'other' }] });
    const viewer = await app!.userWithRoles('vera', { default: 'viewer' });
    const developer = await app!.userWithRoles('dev', { default: 'developer' });
    const outsider = await app!.userWithRoles('otto', { other: 'developer' });

    const asViewer = await query('select 1', { cookie: viewer });
    expect(asViewer.status).toBe(403);
    expect(asViewer.body.error.code).toBe('forbidden');
    const tables = await app!.server.inject({ url: '/api/workspaces/default/sql/tables', headers: { cookie: viewer } });
    expect(tables.statusCode).toBe(403);

    expect((await query('select 1', { cookie: developer })).status).toBe(200);
    expect((await query('select 1', { cookie: outsider })).status).toBe(404);
    const anonymous = await app!.server.inject({
      method: 'POST',
      url: '/api/workspaces/default/sql/query',
      payload: { sql: 'select 1' },
    });
    expect(anonymous.statusCode).toBe(401);
  });
});
