// Copies the demo workspaces (real dbt artifacts and seeds) to .demo/workspaces on the first start, so
// runs in the demo rewrite that copy's run_results.json and never the repository's files. Each copy's models are
// then materialised into its target/simulated.duckdb (as a run would), so the SQL workspace can query them at once.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const target = path.join(root, '.demo/workspaces');
if (!existsSync(target)) {
  cpSync(path.join(root, 'demo/workspaces'), target, { recursive: true });
  console.log(`demo workspaces copied to ${path.relative(root, target)}`);
  const simulator = path.join(root, 'demo/bin/dbt-simulate.ts');
  for (const entry of readdirSync(target, { withFileTypes: true }).filter((e) => e.isDirectory())) {
    const result = spawnSync(process.execPath, [simulator, 'materialize'], {
      cwd: path.join(target, entry.name),
      encoding: 'utf8',
    });
    const summary = result.stdout.split('\n').find((line) => line.includes('Materialised'));
    console.log(
      `${entry.name}: ${summary?.replace(/^\S+\s+/, '') ?? `models not materialised: ${result.stderr.trim()}`}`,
    );
  }
}
