// Gives one e2e server a private copy of the demo workspaces (runs rewrite target/run_results.json) and,
// when asked, of a plugins folder (live-update tests change it) or an empty one. The repo's own files are never touched.
// Usage: node e2e/prepare-server.ts <dir> [<plugins source dir> <plugins target dir>]
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const [dir, pluginsSource, pluginsTarget] = process.argv.slice(2);
if (!dir) throw new Error('usage: prepare-server.ts <dir> [<plugins source dir> <plugins target dir>]');

rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
cpSync(path.join(root, 'demo/workspaces'), path.join(dir, 'workspaces'), { recursive: true });
const config = JSON.parse(readFileSync(path.join(root, 'workbench.config.json'), 'utf8')) as {
  workspaces: { projectDir: string; runCommand?: string[] }[];
};
for (const workspace of config.workspaces) {
  workspace.projectDir = path.join('workspaces', path.basename(workspace.projectDir));
  workspace.runCommand = ['node', path.join(root, 'demo/bin/dbt-simulate.ts'), 'build'];
}
writeFileSync(path.join(dir, 'workbench.config.json'), JSON.stringify(config, null, 2));

if (pluginsSource && pluginsTarget) {
  rmSync(pluginsTarget, { recursive: true, force: true });
  // `-` as the source: an empty plugins folder, for a server whose plugins the tests install.
  if (pluginsSource === '-') mkdirSync(pluginsTarget, { recursive: true });
  else cpSync(pluginsSource, pluginsTarget, { recursive: true, dereference: true });
}
