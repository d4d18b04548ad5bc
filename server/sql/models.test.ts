import { DuckDBInstance } from '@duckdb/node-api';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { SqlTables } from '@dbt-workbench/plugin-sdk/contracts/sql.schema';
import { SIMULATOR } from '../runs/testing.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { createSqlFeature } from './feature.ts';
import { createSqlService } from './service.ts';

let app: TestApp | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

const project = (dir: string) => path.join(dir, 'workspaces/default');

/** A manifest of adapter `adapter` with models `customers` (table) and `recent` (view) and seed `items`. */
function writeManifest(dir: string, adapter: string | null, database = 'shop'): void {
  const node = (type: string, name: string, schema: string, materialized: string) => ({
    unique_id: `${type}.shop.${name}`,
    name,
    resource_type: type,
    database,
    schema,
    config: { materialized, enabled: true },
  });
  const nodes = [
    node('model', 'customers', 'main', 'table'),
    node('model', 'recent', 'main', 'view'),
    node('model', 'scratch', 'main', 'ephemeral'),
    node('seed', 'items', 'raw', 'seed'),
  ];
  mkdirSync(path.join(project(dir), 'target'), { recursive: true });
  writeFileSync(
    path.join(project(dir), 'target/manifest.json'),
    JSON.stringify({
      metadata: { dbt_version: '1.9.0', ...(adapter ? { adapter_type: adapter } : {}) },
      nodes: Object.fromEntries(nodes.map((n) => [n.unique_id, n])),
    }),
  );
}

/** Writes a DuckDB database at `file` as dbt-duckdb would build the manifest above into database `shop`. */
async function writeWarehouse(file: string): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  const instance = await DuckDBInstance.create(file);
  const connection = await instance.connect();
  await connection.run(`
    create schema raw;
    create table raw.items as select * from (values (1, 'pen'), (2, 'ink')) t(id, label);
    create table main.customers as select * from (values (1, 'Ada'), (2, 'Bo'), (3, 'Cy')) t(id, name);
    create view main.recent as select * from "shop"."main"."customers" where id > 1;`);
  connection.disconnectSync();
  instance.closeSync();
}

async function start(prepare: (dir: string) => void | Promise<void>): Promise<TestApp> {
  let pending: void | Promise<void> = undefined;
  app = await startTestApp({
    features: [createSqlFeature(createSqlService())],
    prepare: (dir) => {
      pending = prepare(dir);
    },
  });
  await pending;
  return app;
}

async function query(sql: string) {
  const response = await app!.server.inject({
    method: 'POST',
    url: '/api/workspaces/default/sql/query',
    headers: { cookie: app!.adminCookie },
    payload: { sql },
  });
  return { status: response.statusCode, body: response.json() };
}

async function tables(): Promise<SqlTables> {
  const response = await app!.server.inject({
    url: '/api/workspaces/default/sql/tables',
    headers: { cookie: app!.adminCookie },
  });
  expect(response.statusCode).toBe(200);
  return response.json() as SqlTables;
}

describe("SQL on the project's models", () => {
  test('a DuckDB target is attached read-only: models, views and dbt-built seeds answer by name', async () => {
    await start(async (dir) => {
      writeManifest(dir, 'duckdb');
      await writeWarehouse(path.join(project(dir), 'shop.duckdb'));
      mkdirSync(path.join(project(dir), 'seeds'));
      writeFileSync(path.join(project(dir), 'seeds/items.csv'), 'id,label\n1,pen\n2,ink\n3,nib\n');
    });
    expect((await query('select name from customers order by id')).body.rows).toEqual([['Ada'], ['Bo'], ['Cy']]);
    // The view names its relation as dbt compiles it, database first: the attached copy keeps that name.
    expect((await query('select count(*) from recent')).body.rows).toEqual([[2]]);
    expect((await query('select count(*) from shop.main.customers')).body.rows).toEqual([[3]]);
    // The seed CSV comes first by its bare name; dbt's copy of it needs its full name.
    expect((await query('select count(*) from items')).body.rows).toEqual([[3]]);
    expect((await query('select count(*) from shop.raw.items')).body.rows).toEqual([[2]]);

    const listed = await tables();
    expect(listed.tables.map((t) => t.name)).toEqual(['items']);
    expect(listed.models).toMatchObject({ available: true, file: 'shop.duckdb', origin: 'dbt-target' });
    const models = listed.models.available ? listed.models.tables : [];
    expect(models.map((t) => [t.reference, t.type, t.resourceType, t.rowCount])).toEqual([
      ['customers', 'table', 'model', 3],
      ['recent', 'view', 'model', null],
      ['shop.raw.items', 'table', 'seed', 2],
    ]);
    expect(models[0]?.columns).toEqual([
      { name: 'id', type: 'INTEGER' },
      { name: 'name', type: 'VARCHAR' },
    ]);

    for (const sql of ['drop table customers', "insert into shop.main.customers values (9, 'Zed')"]) {
      const refused = await query(sql);
      expect(refused.status, sql).toBe(400);
      expect(refused.body.error.message, sql).toMatch(/read-only/);
    }
  });

  test("the app holds no lock on the project's database: dbt can write it, and the next query sees the change", async () => {
    await start(async (dir) => {
      writeManifest(dir, 'duckdb');
      await writeWarehouse(path.join(project(dir), 'target/shop.duckdb'));
    });
    expect((await query('select count(*) from customers')).body.rows).toEqual([[3]]);
    // As dbt would while the server runs: open the file for writing and change a model.
    const file = path.join(project(app!.dir), 'target/shop.duckdb');
    const writer = await DuckDBInstance.create(file);
    const connection = await writer.connect();
    await connection.run("insert into main.customers values (4, 'Di')");
    connection.disconnectSync();
    writer.closeSync();
    expect((await query('select count(*) from customers')).body.rows).toEqual([[4]]);
  });

  test("the file the project's profiles.yml names is found in a folder of its own", async () => {
    await start(async (dir) => {
      writeManifest(dir, 'duckdb');
      writeFileSync(
        path.join(project(dir), 'profiles.yml'),
        "shop:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: 'warehouse/shop.duckdb' # local\n",
      );
      await writeWarehouse(path.join(project(dir), 'warehouse/shop.duckdb'));
    });
    expect((await tables()).models).toMatchObject({ available: true, file: 'warehouse/shop.duckdb' });
    expect((await query('select count(*) from recent')).body.rows).toEqual([[2]]);
  });

  test('a Snowflake target: the page is told why, and a missing model or table is named in plain words', async () => {
    await start((dir) => {
      writeManifest(dir, 'snowflake');
      mkdirSync(path.join(project(dir), 'seeds'));
      writeFileSync(path.join(project(dir), 'seeds/raw_orders.csv'), 'id\n1\n');
    });
    expect((await tables()).models).toEqual({
      available: false,
      reason: "This workspace's models are not in a database the app can read: its target is Snowflake.",
    });
    const model = await query('select * from customers');
    expect(model.status).toBe(400);
    expect(model.body.error).toEqual({
      code: 'sql_error',
      message:
        "Table customers is not available in this workspace: it is one of the project's models. This " +
        "workspace's models are not in a database the app can read: its target is Snowflake.",
    });
    const unknown = await query('select * from raw_payments');
    expect(unknown.body.error.message).toBe(
      'Table raw_payments is not available in this workspace. Did you mean "raw_orders"? This ' +
        "workspace's models are not in a database the app can read: its target is Snowflake. Its seeds are raw_orders.",
    );
    // Other errors keep DuckDB's own words.
    expect((await query('select nope from raw_orders')).body.error.message).toContain('Referenced column "nope"');
  });

  test('a DuckDB target not built yet, and a workspace without a manifest, say what to do', async () => {
    await start((dir) => writeManifest(dir, 'duckdb'));
    expect((await tables()).models).toEqual({
      available: false,
      reason:
        "This workspace's target is DuckDB, but its database file (shop.duckdb) is not in the project folder or " +
        'its target folder: run dbt build to create it.',
    });
    const missing = await query('select * from orders join customers using (id)');
    expect(missing.body.error.message).toBe(
      "Table orders is not available in this workspace. This workspace's target is DuckDB, but its database file " +
        '(shop.duckdb) is not in the project folder or its target folder: run dbt build to create it. It has no seed CSVs.',
    );
    expect(missing.body.error.message).not.toContain('pg_');
    await app!.close();

    await start(() => undefined);
    expect((await tables()).models).toEqual({
      available: false,
      reason: expect.stringContaining('has no dbt manifest (target/manifest.json) yet'),
    });
  });

  test("after a simulated run, the demo's models answer: customers has 100 rows", async () => {
    await start((dir) => {
      cpSync(path.resolve(import.meta.dirname, '../../demo/workspaces/jaffle-shop-classic'), project(dir), {
        recursive: true,
      });
    });
    // Before any run the demo's BigQuery project has no database the app can read.
    expect((await tables()).models).toEqual({
      available: false,
      reason: "This workspace's models are not in a database the app can read: its target is BigQuery.",
    });
    const run = spawnSync(process.execPath, [SIMULATOR, 'build'], {
      cwd: project(app!.dir),
      env: { PATH: process.env.PATH ?? '', DBT_SIMULATE_DELAY_MS: '0' },
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    const listed = await tables();
    expect(listed.models).toMatchObject({ available: true, file: 'target/simulated.duckdb', origin: 'simulated' });
    const models = listed.models.available ? listed.models.tables : [];
    // The project's own models come first, before those of its packages (elementary) and the seeds.
    expect(models.slice(0, 5).map((t) => t.name)).toEqual([
      'customers',
      'orders',
      'stg_customers',
      'stg_orders',
      'stg_payments',
    ]);
    expect(models.at(-1)?.resourceType).toBe('seed');
    expect(models.find((t) => t.name === 'customers')).toMatchObject({
      reference: 'customers',
      resourceType: 'model',
      rowCount: 100,
    });
    // The demo's seeds are CSVs first; the simulator's copies need their full name.
    expect(models.find((t) => t.name === 'raw_orders')?.reference).toBe('simulated.jaffle_shop.raw_orders');
    const top = await query('select customer_id, number_of_orders from customers order by 2 desc, 1 limit 1');
    expect(top.body.rows).toEqual([[54, 5]]); // user 54 has 5 of the 99 orders in raw_orders.csv
    // A model the simulator could not build (BigQuery SQL) is named as such.
    expect((await query('select * from daily_orders')).body.error.message).toBe(
      "Table daily_orders is not available in this workspace: it is one of the project's models, but " +
        'target/simulated.duckdb does not hold it (it failed to build, or was not built since it was added).',
    );
  });

  test('a models database that cannot be read is reported, and the seeds still answer', async () => {
    await start((dir) => {
      writeManifest(dir, 'duckdb');
      writeFileSync(path.join(project(dir), 'shop.duckdb'), 'not a database');
      mkdirSync(path.join(project(dir), 'seeds'));
      writeFileSync(path.join(project(dir), 'seeds/items.csv'), 'id\n1\n');
    });
    const listed = await tables();
    expect(listed.models).toEqual({
      available: false,
      reason: expect.stringMatching(/^The models database shop\.duckdb could not be read: /),
    });
    expect((await query('select count(*) from items')).body.rows).toEqual([[1]]);
  });
});
