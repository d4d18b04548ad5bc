// A plugin's uses of deprecated SDK members, as the TypeScript compiler reports them (suggestion diagnostics 6385
// and 6387, the strike-through in an editor), kept to members declared in @dbt-workbench/plugin-sdk. Runs the
// plugin's own TypeScript 7 through its API on a throwaway project holding only the plugin's sources, with the
// compiler options of the nearest tsconfig.json: loading the whole app's project costs seconds more in its repo.
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

/** One use: where in the plugin, which member, and what its `@deprecated` tag says to use instead. */
export interface DeprecatedUse {
  /** `src/Page.tsx:1:38`, relative to the plugin folder. */
  location: string;
  message: string;
}

export type DeprecationReport = { checked: true; uses: DeprecatedUse[] } | { checked: false; reason: string };

const DEPRECATED_CODES = new Set([6385, 6387]);
const SOURCE_FOLDERS = ['src', 'backend'];
const SOURCE_FILE = /\.(?:c|m)?tsx?$/;

// Without a tsconfig.json above the plugin, the options `workbench-plugin create` writes.
const DEFAULT_OPTIONS = {
  target: 'es2023',
  module: 'nodenext',
  moduleResolution: 'nodenext',
  jsx: 'react-jsx',
  strict: true,
  allowImportingTsExtensions: true,
};

function sourceFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules') walk(full);
      else if (entry.isFile() && SOURCE_FILE.test(entry.name) && !entry.name.endsWith('.d.ts')) found.push(full);
    }
  };
  for (const folder of SOURCE_FOLDERS) if (existsSync(path.join(dir, folder))) walk(path.join(dir, folder));
  return found.sort();
}

function nearestTsconfig(dir: string): string | undefined {
  for (let folder = dir; ; folder = path.dirname(folder)) {
    const candidate = path.join(folder, 'tsconfig.json');
    if (existsSync(candidate)) return candidate;
    if (path.dirname(folder) === folder) return undefined;
  }
}

/** The SDK's folder as the plugin resolves it (real path), or undefined when the plugin cannot import it. */
function sdkFolder(dir: string): string | undefined {
  try {
    const manifest = createRequire(path.join(dir, 'package.json')).resolve('@dbt-workbench/plugin-sdk/package.json');
    return realpathSync(path.dirname(manifest));
  } catch {
    return undefined;
  }
}

function lineAndColumn(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  return `${line}:${position - before.lastIndexOf('\n')}`;
}

/** `@deprecated Use {@link PageProps}, ...` (the span the compiler points at) as `Use PageProps, ...`. */
function advice(tag: string): string {
  return tag
    .replace(/^@deprecated\s*/, '')
    .replace(/\{@link(?:code|plain)?\s+([^}|\s]+)[^}]*\}/g, '$1')
    .replace(/\s*\n\s*\*?\s*/g, ' ')
    .trim();
}

/** Finds the plugin's uses of deprecated SDK members; says why when it cannot check (no TypeScript 7, no SDK). */
export async function deprecatedSdkUses(dir: string): Promise<DeprecationReport> {
  const files = sourceFiles(dir);
  if (files.length === 0) return { checked: true, uses: [] };
  const sdk = sdkFolder(dir);
  if (!sdk) return { checked: false, reason: '@dbt-workbench/plugin-sdk is not installed for this plugin' };
  let ts: typeof import('typescript/unstable/sync');
  try {
    ts = await import('typescript/unstable/sync');
  } catch {
    return { checked: false, reason: 'it needs TypeScript 7 (npm install --save-dev typescript@7)' };
  }

  const base = nearestTsconfig(dir);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'workbench-plugin-deprecations-'));
  const tsconfig = path.join(scratch, 'tsconfig.json');
  writeFileSync(
    tsconfig,
    JSON.stringify({
      ...(base ? { extends: base } : {}),
      compilerOptions: { ...(base ? {} : DEFAULT_OPTIONS), noEmit: true, skipLibCheck: true },
      files,
      include: [],
    }),
  );
  const api = new ts.API({ cwd: dir });
  try {
    const project = api.updateSnapshot({ openProjects: [tsconfig] }).getProject(tsconfig);
    if (!project) return { checked: false, reason: 'TypeScript did not load the plugin’s sources' };
    const uses: DeprecatedUse[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const diagnostic of project.program.getSuggestionDiagnostics(file)) {
        if (!DEPRECATED_CODES.has(diagnostic.code)) continue;
        const declaration = diagnostic.relatedInformation?.find((info) => info.fileName?.startsWith(sdk + path.sep));
        if (!declaration?.fileName) continue;
        const tag = readFileSync(declaration.fileName, 'utf8').slice(declaration.pos, declaration.end);
        const because = advice(tag);
        uses.push({
          location: `${path.relative(dir, file)}:${lineAndColumn(text, diagnostic.pos)}`,
          message: `${diagnostic.text.replace(/\.$/, '')} in @dbt-workbench/plugin-sdk${because ? `: ${because}` : ''}`,
        });
      }
    }
    return { checked: true, uses };
  } finally {
    api.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}
