import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PluginManifest } from '@dbt-workbench/plugin-sdk/contracts/plugin-manifest.schema';
import { validate } from '@dbt-workbench/plugin-sdk/contracts/validation';
import { CliError } from './errors.ts';

/** The plugin folder a command works on: `dir` or the current folder; it must hold a manifest.json. */
export function pluginDirectory(dir: string | undefined): string {
  const resolved = path.resolve(dir ?? '.');
  if (!existsSync(path.join(resolved, 'manifest.json'))) {
    throw new CliError(
      `${resolved} has no manifest.json: pass a plugin folder, or create one with "workbench-plugin create <name>"`,
    );
  }
  return resolved;
}

/** The folder's manifest, valid; otherwise a CliError that points at `validate`. */
export function readValidManifest(dir: string): PluginManifest {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  } catch (error) {
    throw new CliError(`manifest.json is not valid JSON: ${(error as Error).message}`);
  }
  const result = validate(PluginManifest, json);
  if (!result.ok) {
    throw new CliError(
      `manifest.json has ${result.problems.length} problem(s), first: ${result.problems[0]!.message} (run "workbench-plugin validate" for all)`,
    );
  }
  return result.value;
}
