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

interface CreateOptions {
  backend: boolean;
  /** npm specs for the kit in the project's package.json; by default this kit's own version. */
  sdkSpec?: string | undefined;
  cliSpec?: string | undefined;
}

/** Writes a new plugin project `<parent>/<name>`; returns its path and the files written (relative). */
export function createPlugin(name: string, parent: string, options: CreateOptions): { dir: string; files: string[] } {
  const valid = PluginName.safeParse(name);
  if (!valid.success) throw new CliError(`create: "${name}" ${valid.error.issues[0]!.message}`);
  const dir = path.resolve(parent, name);
  if (existsSync(dir)) throw new CliError(`create: ${dir} already exists; pick another name or remove it`);
  const scaffold: t.Scaffold = {
    name,
    ...names(name),
    backend: options.backend,
    workbenchRange: `^${targetAppVersion()}`,
    sdkSpec: options.sdkSpec ?? `^${targetAppVersion()}`,
    cliSpec: options.cliSpec ?? `^${targetAppVersion()}`,
  };
  const files: Record<string, string> = {
    'manifest.json': t.manifestJson(scaffold),
    'package.json': t.packageJson(scaffold),
    'tsconfig.json': t.tsconfigJson(),
    '.gitignore': t.gitignore(),
    '.github/workflows/ci.yml': t.ciWorkflow(),
    'README.md': t.readme(scaffold),
    'vitest.config.ts': t.vitestConfig(),
    'src/greeting.ts': t.greetingTs(scaffold),
    'src/Widget.tsx': t.widgetTsx(scaffold),
    'src/Page.tsx': t.pageTsx(scaffold),
    'src/Widget.test.ts': t.widgetTest(scaffold),
    ...(options.backend
      ? { 'backend/index.ts': t.backendTs(scaffold), 'backend/index.test.ts': t.backendTest(scaffold) }
      : {}),
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
  usage: `Usage: workbench-plugin create <name> [--backend] [--dir <parent>] [--sdk <spec>] [--cli <spec>]

Writes a standalone project <parent>/<name>/ (default parent: the current folder): manifest.json,
package.json (the SDK, this CLI, TypeScript, vitest, React), tsconfig.json, src/ with a dashboard widget
and a page (a tab in the sidebar), a unit test using the SDK's fake SDK, a README and a CI example
(.github/workflows/ci.yml); with --backend a backend/index.ts serving GET /api/ext/<name>/hello with its
test. <name>: lowercase letters, digits and single dashes. --sdk, --cli: npm specs for the kit (a range
or a tarball path; default ^<this kit's version>).
Next: cd <name> && npm install && npm test && npm run build (build fails on a type error).`,
  async run(args) {
    const { positionals, values } = parse('create', args, {
      backend: { type: 'boolean' },
      dir: { type: 'string' },
      sdk: { type: 'string' },
      cli: { type: 'string' },
    });
    const name = positionals[0];
    if (!name) throw new CliError('create: a plugin name is required, like "workbench-plugin create model-owners"');
    const { dir, files } = createPlugin(name, values.dir ?? '.', {
      backend: values.backend ?? false,
      sdkSpec: values.sdk,
      cliSpec: values.cli,
    });
    const relative = path.relative(process.cwd(), dir) || '.';
    console.log(
      `created ${dir}:\n${files.map((f) => `  ${f}`).join('\n')}\nnext: cd ${relative} && npm install && npm test && npm run build`,
    );
  },
};
