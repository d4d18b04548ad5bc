// Stands in for `dbt build` on a machine without dbt or a warehouse. Run from a dbt project folder:
//   node ../../bin/dbt-simulate.ts build
//   node ../../bin/dbt-simulate.ts materialize   (only target/simulated.duckdb: no run, no run_results.json)
// Reads target/manifest.json, prints dbt-like progress for its seeds, models, snapshots and tests in dependency
// order, and writes a fresh target/run_results.json (schema v6) atomically. The seeds, models and snapshots it
// builds go into target/simulated.duckdb from the manifest's SQL (./materialize.ts), for the SQL workspace.
// Environment:
//   DBT_SIMULATE_DELAY_MS  pause per node, default 25
//   DBT_SIMULATE_FAIL      name (or unique_id) of a node that errors: its downstream nodes skip, the exit code is 1
import { randomUUID } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openWarehouse, type BuildableNode } from './materialize.ts';

interface ManifestNode extends BuildableNode {
  unique_id: string;
  name: string;
  resource_type: string;
  schema?: string;
  relation_name?: string | null;
  original_file_path?: string;
  config?: { materialized?: string; enabled?: boolean };
  depends_on?: { nodes?: string[] };
}

interface Result {
  unique_id: string;
  status: 'success' | 'error' | 'skipped' | 'pass' | 'fail';
  timing: { name: string; started_at: string; completed_at: string }[];
  thread_id: string;
  execution_time: number;
  adapter_response: Record<string, unknown>;
  message: string | null;
  failures: number | null;
  compiled: boolean;
  compiled_code: string | null;
  relation_name: string | null;
  batch_results: null;
}

const RUNNABLE = ['seed', 'model', 'snapshot', 'test'];
const command = process.argv[2] ?? 'build';
const delayMs = Number(process.env.DBT_SIMULATE_DELAY_MS ?? 25);
const failName = process.env.DBT_SIMULATE_FAIL ?? '';
const targetDir = path.resolve('target');
const startedAt = new Date();

const clock = () => new Date().toISOString().slice(11, 19);
const say = (text = '') => process.stdout.write(`${clock()}  ${text}\n`);
const dots = (left: string, right: string) => `${left} ${'.'.repeat(Math.max(3, 78 - left.length))} ${right}`;

function readManifest():
  { dbtVersion: string; nodes: Record<string, ManifestNode>; sources: Record<string, ManifestNode> } | undefined {
  const file = path.join(targetDir, 'manifest.json');
  try {
    const json = JSON.parse(readFileSync(file, 'utf8'));
    return {
      dbtVersion: json.metadata?.dbt_version ?? 'unknown',
      nodes: json.nodes ?? {},
      sources: json.sources ?? {},
    };
  } catch (error) {
    process.stderr.write(`Encountered an error:\nCannot read ${file}: ${(error as Error).message}\n`);
    return undefined;
  }
}

/** The runnable nodes, parents before children: by depth in the DAG, tests before models of the same depth. */
function inOrder(nodes: Record<string, ManifestNode>): ManifestNode[] {
  const depths = new Map<string, number>();
  const depth = (id: string, seen: Set<string>): number => {
    const known = depths.get(id);
    if (known !== undefined) return known;
    if (seen.has(id) || !nodes[id]) return 0;
    seen.add(id);
    const parents = nodes[id].depends_on?.nodes ?? [];
    const d = parents.length === 0 ? 0 : 1 + Math.max(...parents.map((p) => depth(p, seen)));
    depths.set(id, d);
    return d;
  };
  return Object.values(nodes)
    .filter((n) => RUNNABLE.includes(n.resource_type) && n.config?.materialized !== 'ephemeral')
    .filter((n) => n.config?.enabled !== false)
    .map((n) => ({ node: n, depth: depth(n.unique_id, new Set()) }))
    .sort(
      (a, b) => a.depth - b.depth || rank(a.node) - rank(b.node) || a.node.unique_id.localeCompare(b.node.unique_id),
    )
    .map((entry) => entry.node);
}

const rank = (node: ManifestNode) => (node.resource_type === 'test' ? 0 : 1);

function describe(node: ManifestNode): string {
  const relation = `${node.schema ?? 'main'}.${node.name}`;
  if (node.resource_type === 'seed') return `seed file ${relation}`;
  if (node.resource_type === 'snapshot') return `snapshot ${relation}`;
  if (node.resource_type === 'test') return `test ${node.name}`;
  return `sql ${node.config?.materialized ?? 'view'} model ${relation}`;
}

async function main(): Promise<void> {
  const manifest = readManifest();
  if (!manifest) {
    process.exitCode = 2;
    return;
  }
  const { dbtVersion, nodes, sources } = manifest;
  const order = inOrder(nodes);
  const warehouse = await openWarehouse(process.cwd(), order, Object.values(sources));
  if (command === 'materialize') {
    for (const node of order) if (node.resource_type !== 'test') await warehouse?.build(node);
    await reportWarehouse(warehouse);
    return;
  }
  const counts = (type: string) => order.filter((n) => n.resource_type === type).length;
  say(`Running with dbt=${dbtVersion} (simulated by dbt-simulate, command: ${command})`);
  say(
    `Found ${counts('model')} models, ${counts('seed')} seeds, ${counts('snapshot')} snapshots, ${counts('test')} data tests`,
  );
  say("Concurrency: 1 threads (target='simulated')");
  say();

  const results: Result[] = [];
  const broken = new Set<string>(); // nodes that errored or skipped: everything downstream skips
  const untested = new Set<string>(); // nodes with a failing test: their models downstream skip, other tests run
  const tally = { PASS: 0, WARN: 0, ERROR: 0, SKIP: 0 };
  const failures: string[] = [];
  for (const [i, node] of order.entries()) {
    const prefix = `${i + 1} of ${order.length}`;
    const what = describe(node);
    const isTest = node.resource_type === 'test';
    const parents = node.depends_on?.nodes ?? [];
    const started = new Date();
    let status: Result['status'];
    let message: string | null = null;
    if (parents.some((p) => broken.has(p) || (!isTest && untested.has(p)))) {
      status = 'skipped';
      broken.add(node.unique_id);
      tally.SKIP++;
      say(dots(`${prefix} SKIP ${isTest ? what : `relation ${node.schema ?? 'main'}.${node.name}`}`, '[SKIP]'));
    } else {
      say(dots(`${prefix} START ${what}`, '[RUN]'));
      await sleep(delayMs);
      const seconds = ((Date.now() - started.getTime()) / 1000).toFixed(2);
      const fails = failName !== '' && (node.name === failName || node.unique_id === failName);
      if (fails && isTest) {
        status = 'fail';
        message = 'Got 1 result, configured to fail if != 0';
        for (const p of parents) untested.add(p);
        say(dots(`${prefix} FAIL 1 ${node.name}`, `[FAIL 1 in ${seconds}s]`));
      } else if (fails) {
        status = 'error';
        message = `Simulated failure of ${node.unique_id} (DBT_SIMULATE_FAIL)`;
        broken.add(node.unique_id);
        say(dots(`${prefix} ERROR creating ${what}`, `[ERROR in ${seconds}s]`));
      } else {
        if (!isTest) await warehouse?.build(node);
        status = isTest ? 'pass' : 'success';
        message = isTest ? null : node.resource_type === 'seed' ? 'INSERT 10' : 'OK';
        const done = isTest
          ? `PASS ${node.name}`
          : node.resource_type === 'seed'
            ? `OK loaded ${what}`
            : `OK created ${what}`;
        say(dots(`${prefix} ${done}`, `[${isTest ? 'PASS' : (message ?? 'OK')} in ${seconds}s]`));
      }
      if (status === 'error' || status === 'fail') {
        tally.ERROR++;
        failures.push(`Failure in ${node.resource_type} ${node.name} (${node.original_file_path ?? node.unique_id})`);
      } else tally.PASS++;
    }
    const completed = new Date();
    results.push({
      unique_id: node.unique_id,
      status,
      timing:
        status === 'skipped'
          ? []
          : [
              { name: 'compile', started_at: started.toISOString(), completed_at: started.toISOString() },
              { name: 'execute', started_at: started.toISOString(), completed_at: completed.toISOString() },
            ],
      thread_id: 'Thread-1 (worker)',
      execution_time: (completed.getTime() - started.getTime()) / 1000,
      adapter_response: status === 'success' ? { _message: message, code: message, rows_affected: 0 } : {},
      message,
      failures: isTest ? (status === 'fail' ? 1 : status === 'pass' ? 0 : null) : null,
      compiled: status !== 'skipped',
      compiled_code: null,
      relation_name: isTest ? null : (node.relation_name ?? null),
      batch_results: null,
    });
  }

  const elapsed = (Date.now() - startedAt.getTime()) / 1000;
  writeRunResults(dbtVersion, results, elapsed);
  await reportWarehouse(warehouse);
  say();
  say(
    `Finished running ${order.length} nodes in 0 hours 0 minutes and ${elapsed.toFixed(2)} seconds (${elapsed.toFixed(2)}s).`,
  );
  say();
  if (tally.ERROR === 0) say('Completed successfully');
  else {
    say(`Completed with ${tally.ERROR} error${tally.ERROR === 1 ? '' : 's'}, 0 partial successes, and 0 warnings:`);
    for (const line of failures) say(line);
  }
  say();
  const total = tally.PASS + tally.WARN + tally.ERROR + tally.SKIP;
  say(`Done. PASS=${tally.PASS} WARN=${tally.WARN} ERROR=${tally.ERROR} SKIP=${tally.SKIP} TOTAL=${total}`);
  process.exitCode = tally.ERROR > 0 ? 1 : 0;
}

/** Writes the simulated database and says what it holds and what could not be built. */
async function reportWarehouse(warehouse: Awaited<ReturnType<typeof openWarehouse>>): Promise<void> {
  if (!warehouse) return;
  const { file, built, problems } = await warehouse.finish();
  say();
  say(`Materialised ${built.length} of ${built.length + problems.length} nodes in ${file} for the SQL workspace.`);
  for (const problem of problems) say(`  not materialised: ${problem.uniqueId}: ${problem.message}`);
}

/** Writes run_results.json next to the manifest: a temp file renamed over the old one, so readers never see half. */
function writeRunResults(dbtVersion: string, results: Result[], elapsed: number): void {
  const document = {
    metadata: {
      dbt_schema_version: 'https://schemas.getdbt.com/dbt/run-results/v6.json',
      dbt_version: dbtVersion,
      generated_at: new Date().toISOString(),
      invocation_id: randomUUID(),
      invocation_started_at: startedAt.toISOString(),
      env: {},
    },
    results,
    elapsed_time: elapsed,
    args: { which: command, invocation_command: `dbt ${command}`, project_dir: process.cwd(), simulated: true },
  };
  const file = path.join(targetDir, 'run_results.json');
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(document, null, 2)}\n`);
  renameSync(temp, file);
}

await main();
