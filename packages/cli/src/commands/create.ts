// `workbench-plugin create <name>`: a plugin that builds and loads unchanged.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PluginName } from '@dbt-workbench/plugin-sdk/contracts/plugin-manifest.schema';
import { targetAppVersion } from '../host.ts';
import { parse } from '../args.ts';
import { CliError, type Command } from '../errors.ts';
import * as t from './templates.ts';

/** "model-owners" → "Model owners" and "ModelOwners". */
function names(name: string): { displayName: string; component: string } {
  const words = name.split('-');
  const displayName = [words[0]!.charAt(0).toUpperCase() + words[0]!.slice(1), ...words.slice(1)].join(' ');
  const component = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  return { displayName, component: /^[A-Z]/.test(component) ? component : `P${component}` };
}

/** Writes a new plugin folder `<parent>/<name>`; returns its path and the files written (relative). */
export function createPlugin(name: string, parent: string, backend: boolean): { dir: string; files: string[] } {
  const valid = PluginName.safeParse(name);
  if (!valid.success) throw new CliError(`create: "${name}" ${valid.error.issues[0]!.message}`);
  const dir = path.resolve(parent, name);
  if (existsSync(dir)) throw new CliError(`create: ${dir} already exists; pick another name or remove it`);
  const scaffold: t.Scaffold = {
    name,
    ...names(name),
    backend,
    workbenchRange: `^${targetAppVersion()}`,
  };
  const files: Record<string, string> = {
    'manifest.json': t.manifestJson(scaffold),
    'README.md': t.readme(scaffold),
    'vitest.config.ts': t.vitestConfig(scaffold),
    'src/greeting.ts': t.greetingTs(scaffold),
    'src/Widget.tsx': t.widgetTsx(scaffold),
    'src/Page.tsx': t.pageTsx(scaffold),
    'src/Widget.test.ts': t.widgetTest(scaffold),
    ...(backend ? { 'backend/index.ts': t.backendTs(scaffold), 'backend/index.test.ts': t.backendTest(scaffold) } : {}),
  };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return { dir, files: Object.keys(files) };
}

export const createCommand: Command = {
  name: 'create',
  summary: 'scaffold a new plugin (widget, page, optional backend, tests)',
  usage: `Usage: workbench-plugin create <name> [--backend] [--dir <parent>]

Writes <parent>/<name>/ (default parent: plugins): manifest.json, src/ with a dashboard widget and a
page (a tab in the sidebar), a unit test using the SDK's fake SDK, and with --backend a backend/index.ts
serving GET /api/ext/<name>/hello with its test. <name>: lowercase letters, digits and single dashes.
Next: workbench-plugin build <parent>/<name>, then validate, pack, sign (see --help of each).`,
  async run(args) {
    const { positionals, values } = parse('create', args, {
      backend: { type: 'boolean' },
      dir: { type: 'string' },
    });
    const name = positionals[0];
    if (!name) throw new CliError('create: a plugin name is required, like "workbench-plugin create model-owners"');
    const { dir, files } = createPlugin(name, values.dir ?? 'plugins', values.backend ?? false);
    console.log(
      `created ${dir}:\n${files.map((f) => `  ${f}`).join('\n')}\nnext: workbench-plugin build ${path.relative(process.cwd(), dir)}`,
    );
  },
};
