import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startTestApp, type TestApp, type TestAppOptions } from '../testing/test-app.ts';
import { schedulesFeature, type SchedulesFeature } from '../schedules/feature.ts';
import { runsFeature } from './feature.ts';
import { createRunService, type RunService, type RunServiceOptions } from './service.ts';
import { runEnvironment } from './child.ts';

/** The demo's stand-in for `dbt build`. */
export const SIMULATOR = path.resolve(import.meta.dirname, '../../demo/bin/dbt-simulate.ts');

/** A small project: a seed, a view, a table built from it, an ephemeral model, and two tests. */
export function tinyManifest(): unknown {
  const node = (type: string, name: string, parents: string[], extra: Record<string, unknown> = {}) => ({
    unique_id: `${type}.shop.${name}`,
    name,
    resource_type: type,
    schema: 'main',
    relation_name: type === 'test' ? null : `"db"."main"."${name}"`,
    original_file_path: `${type}s/${name}.sql`,
    config: { materialized: type === 'model' ? 'view' : type, enabled: true },
    depends_on: { nodes: parents, macros: [] },
    ...extra,
  });
  const nodes = [
    node('seed', 'raw_customers', []),
    node('model', 'stg_customers', ['seed.shop.raw_customers', 'source.shop.crm.accounts']),
    node('model', 'customers', ['model.shop.stg_customers'], { config: { materialized: 'table' } }),
    node('model', 'helper', ['model.shop.stg_customers'], { config: { materialized: 'ephemeral' } }),
    node('test', 'not_null_customers_id', ['model.shop.customers']),
    node('test', 'unique_stg_customers_id', ['model.shop.stg_customers']),
  ];
  return {
    metadata: { dbt_schema_version: 'https://schemas.getdbt.com/dbt/manifest/v12.json', dbt_version: '1.9.0' },
    nodes: Object.fromEntries(nodes.map((n) => [n.unique_id, n])),
    sources: {},
  };
}

/** Writes the tiny manifest into `<dir>/target/manifest.json`. */
export function writeTinyProject(projectDir: string): void {
  mkdirSync(path.join(projectDir, 'target'), { recursive: true });
  writeFileSync(path.join(projectDir, 'target', 'manifest.json'), JSON.stringify(tinyManifest()));
}

export interface RunsTestApp extends TestApp {
  runs: RunService;
  schedules: SchedulesFeature;
  /** GET/POST as the admin (or `cookie`), answering status and JSON. */
  call(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    payload?: unknown,
    cookie?: string,
  ): Promise<{ status: number; body: any }>;
}

/** An app with only the runs and schedules features; workspace `default` runs `command`, fast. */
export async function startRunsApp(
  command: string[] = ['node', SIMULATOR, 'build'],
  options: { service?: RunServiceOptions; prepare?: TestAppOptions['prepare'] } = {},
): Promise<RunsTestApp> {
  const runs = createRunService({
    graceMs: 500,
    env: { ...runEnvironment(), DBT_SIMULATE_DELAY_MS: '1' },
    ...options.service,
  });
  const schedules = schedulesFeature(runs);
  const app = await startTestApp({
    workspaces: [{ name: 'default', runCommand: command }],
    features: [runsFeature(runs), schedules],
    prepare(dir) {
      writeTinyProject(path.join(dir, 'workspaces', 'default'));
      options.prepare?.(dir);
    },
  });
  return {
    ...app,
    runs,
    schedules,
    async call(method, url, payload, cookie = app.adminCookie) {
      const response = await app.server.inject({
        method,
        url: `/api/workspaces/default/${url}`,
        headers: { cookie },
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
      return { status: response.statusCode, body: response.body ? response.json() : undefined };
    },
  };
}

/** Polls `check` until it returns a value, or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`still waiting after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
