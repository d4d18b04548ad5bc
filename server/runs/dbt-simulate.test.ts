import { DuckDBInstance } from '@duckdb/node-api';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { SIMULATOR, writeTinyProject } from './testing.ts';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function simulate(env: Record<string, string> = {}) {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wb-sim-'));
  writeTinyProject(dir);
  const result = spawnSync(process.execPath, [SIMULATOR, 'build'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', DBT_SIMULATE_DELAY_MS: '1', ...env },
    encoding: 'utf8',
  });
  const runResults = JSON.parse(readFileSync(path.join(dir, 'target', 'run_results.json'), 'utf8'));
  const statuses = Object.fromEntries(
    (runResults.results as { unique_id: string; status: string }[]).map((r) => [r.unique_id, r.status]),
  );
  return { ...result, runResults, statuses };
}

describe('dbt-simulate', () => {
  test('builds every seed, model and test in dependency order and writes a v6 run_results.json', () => {
    const { status, stdout, runResults, statuses } = simulate();
    expect(status).toBe(0);
    expect(runResults.metadata).toMatchObject({
      dbt_schema_version: 'https://schemas.getdbt.com/dbt/run-results/v6.json',
      dbt_version: '1.9.0',
    });
    expect(runResults.metadata.invocation_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(runResults.metadata.generated_at)).not.toBeNaN();
    expect(runResults.elapsed_time).toBeGreaterThan(0);
    expect(runResults.args).toMatchObject({ which: 'build' });
    // The ephemeral model is not run, as in dbt.
    expect(statuses).toEqual({
      'seed.shop.raw_customers': 'success',
      'model.shop.stg_customers': 'success',
      'test.shop.unique_stg_customers_id': 'pass',
      'model.shop.customers': 'success',
      'test.shop.not_null_customers_id': 'pass',
    });
    const first = runResults.results[0];
    for (const key of [
      'timing',
      'thread_id',
      'execution_time',
      'adapter_response',
      'message',
      'failures',
      'relation_name',
    ])
      expect(first).toHaveProperty(key);
    expect(first.relation_name).toBe('"db"."main"."raw_customers"');

    const lines = stdout.trim().split('\n');
    const starts = lines.filter((l) => l.includes(' START '));
    expect(starts.map((l) => l.replace(/^\S+\s+/, '').replace(/ \.+ \[RUN\]$/, ''))).toEqual([
      '1 of 5 START seed file main.raw_customers',
      '2 of 5 START sql view model main.stg_customers',
      '3 of 5 START test unique_stg_customers_id',
      '4 of 5 START sql table model main.customers',
      '5 of 5 START test not_null_customers_id',
    ]);
    expect(stdout).toMatch(/2 of 5 OK created sql view model main\.stg_customers \.+ \[OK in \d+\.\d\ds\]/);
    expect(stdout).toContain('Completed successfully');
    expect(lines.at(-1)).toMatch(/Done\. PASS=5 WARN=0 ERROR=0 SKIP=0 TOTAL=5$/);
    expect(readdirSync(path.join(dir!, 'target')).sort()).toEqual(['manifest.json', 'run_results.json']);
  });

  test('DBT_SIMULATE_FAIL makes that node error, skips what is downstream of it, and exits 1', () => {
    const { status, stdout, statuses, runResults } = simulate({ DBT_SIMULATE_FAIL: 'stg_customers' });
    expect(status).toBe(1);
    expect(statuses).toEqual({
      'seed.shop.raw_customers': 'success',
      'model.shop.stg_customers': 'error',
      'test.shop.unique_stg_customers_id': 'skipped',
      'model.shop.customers': 'skipped',
      'test.shop.not_null_customers_id': 'skipped',
    });
    const failed = runResults.results.find((r: { status: string }) => r.status === 'error');
    expect(failed.message).toContain('model.shop.stg_customers');
    expect(stdout).toMatch(/ERROR creating sql view model main\.stg_customers .* \[ERROR in/);
    expect(stdout).toContain('Completed with 1 error');
    expect(stdout).toMatch(/Done\. PASS=1 WARN=0 ERROR=1 SKIP=3 TOTAL=5/);
  });

  test('a failing test fails the run and skips the models downstream of what it tests', () => {
    const { status, statuses, runResults } = simulate({ DBT_SIMULATE_FAIL: 'unique_stg_customers_id' });
    expect(status).toBe(1);
    expect(statuses['test.shop.unique_stg_customers_id']).toBe('fail');
    expect(statuses['model.shop.customers']).toBe('skipped');
    expect(runResults.results.find((r: { status: string }) => r.status === 'fail').failures).toBe(1);
  });

  test('seeds and models go into target/simulated.duckdb from their SQL; one that cannot is reported', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'wb-sim-'));
    const node = (type: string, name: string, parents: string[], sql: Record<string, string> = {}) => ({
      unique_id: `${type}.shop.${name}`,
      name,
      resource_type: type,
      schema: 'analytics',
      relation_name: type === 'test' ? null : `\`proj\`.\`analytics\`.\`${name}\``,
      original_file_path: type === 'seed' ? `seeds/${name}.csv` : `models/${name}.sql`,
      config: { materialized: type === 'model' ? 'table' : type, enabled: true },
      depends_on: { nodes: parents },
      ...sql,
    });
    const nodes = [
      node('seed', 'raw_people', []),
      // Compiled in the warehouse's dialect: relation names are the manifest's, quoted with backticks.
      node('model', 'people', ['seed.shop.raw_people'], {
        compiled_code: 'select id, upper(name) as name from `proj`.`analytics`.`raw_people`;',
      }),
      // Not compiled: ref() is resolved and config() dropped.
      node('model', 'adults', ['model.shop.people'], {
        raw_code: "{{ config(materialized='table') }}\nselect * from {{ ref('people') }} where id > 1",
      }),
      node('model', 'macro_user', ['model.shop.people'], { raw_code: 'select {{ dbt_utils.star(ref("people")) }}' }),
      node('model', 'bad', ['model.shop.people'], { compiled_code: 'select nonsense(' }),
      node('model', 'after_bad', ['model.shop.bad'], { compiled_code: 'select * from `proj`.`analytics`.`bad`' }),
      node('test', 'not_null_people_id', ['model.shop.people']),
    ];
    mkdirSync(path.join(dir, 'target'), { recursive: true });
    mkdirSync(path.join(dir, 'seeds'));
    writeFileSync(path.join(dir, 'seeds/raw_people.csv'), 'id,name\n1,ada\n2,bo\n3,cy\n');
    writeFileSync(
      path.join(dir, 'target/manifest.json'),
      JSON.stringify({
        metadata: { dbt_version: '1.9.0', adapter_type: 'bigquery' },
        nodes: Object.fromEntries(nodes.map((n) => [n.unique_id, n])),
      }),
    );
    const result = spawnSync(process.execPath, [SIMULATOR, 'build'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', DBT_SIMULATE_DELAY_MS: '1' },
      encoding: 'utf8',
    });
    // Materialising never fails the run.
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('Materialised 3 of 6 nodes in target/simulated.duckdb for the SQL workspace.');
    expect(result.stdout).toMatch(/not materialised: model\.shop\.macro_user: its SQL uses Jinja beyond ref\(\)/);
    expect(result.stdout).toMatch(/not materialised: model\.shop\.bad: Parser Error/);
    expect(result.stdout).toMatch(/not materialised: model\.shop\.after_bad: .*bad does not exist/);
    expect(readdirSync(path.join(dir, 'target')).sort()).toEqual([
      'manifest.json',
      'run_results.json',
      'simulated.duckdb',
    ]);

    const instance = await DuckDBInstance.create(path.join(dir, 'target/simulated.duckdb'), {
      access_mode: 'READ_ONLY',
    });
    const connection = await instance.connect();
    const read = async (sql: string) => (await connection.runAndReadAll(sql)).getRows();
    expect(await read('select id, name from analytics.people order by id')).toEqual([
      [1n, 'ADA'],
      [2n, 'BO'],
      [3n, 'CY'],
    ]);
    expect(await read('select count(*) from analytics.adults')).toEqual([[2n]]);
    expect(await read("select table_name from duckdb_tables() where schema_name = 'analytics' order by 1")).toEqual([
      ['adults'],
      ['people'],
      ['raw_people'],
    ]);
    connection.disconnectSync();
    instance.closeSync();
  });

  test('without a manifest it says so and exits 2', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'wb-sim-'));
    const result = spawnSync(process.execPath, [SIMULATOR, 'build'], { cwd: dir, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('manifest.json');
  });
});
