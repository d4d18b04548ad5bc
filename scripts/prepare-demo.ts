// Copies the demo workspaces (real dbt artifacts and seeds) to .demo/workspaces on the first start, so
// runs in the demo rewrite that copy's run_results.json and never the repository's files.
import { cpSync, existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const target = path.join(root, '.demo/workspaces');
if (!existsSync(target)) {
  cpSync(path.join(root, 'demo/workspaces'), target, { recursive: true });
  console.log(`demo workspaces copied to ${path.relative(root, target)}`);
}
