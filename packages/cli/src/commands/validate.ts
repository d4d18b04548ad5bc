// `workbench-plugin validate [dir]`: the server's own rules, run before anything is installed.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { PluginManifest } from '@dbt-workbench/plugin-sdk/contracts/plugin-manifest.schema';
import { validate } from '@dbt-workbench/plugin-sdk/contracts/validation';
import { exposesFor } from '@dbt-workbench/plugin-sdk/build/remote-preset';
import { hostFacts } from '../host.ts';
import {
  hostCompatibilityProblems,
  hostCompatibilityWarnings,
  type HostFacts,
} from '@dbt-workbench/plugin-sdk/node/compatibility';
import { configurationProblems } from '@dbt-workbench/plugin-sdk/node/configuration';
import { readCandidate } from '@dbt-workbench/plugin-sdk/node/candidate';
import { remoteProblems } from '@dbt-workbench/plugin-sdk/node/remote-check';
import { parse } from '../args.ts';
import { deprecatedSdkUses } from '../deprecations.ts';
import { CliError, type Command } from '../errors.ts';
import { pluginDirectory } from '../plugin-dir.ts';

/** One finding: the manifest field (or file) it concerns, the rule it breaks, and what to do. */
export interface Finding {
  field: string;
  rule: string;
  message: string;
}

export interface ValidationReport {
  name?: string;
  version?: string;
  problems: Finding[];
  warnings: Finding[];
}

/**
 * What to change before the SDK or the app drops something the plugin relies on: uses of deprecated SDK members
 * in its sources (as the compiler reports them), and a plugin API major the next app release drops.
 */
export async function apiDeprecationWarnings(
  dir: string,
  manifest: PluginManifest,
  host: HostFacts = hostFacts(),
): Promise<Finding[]> {
  const warnings: Finding[] = hostCompatibilityWarnings(manifest, host);
  const report = await deprecatedSdkUses(dir);
  if (!report.checked) {
    warnings.push({
      field: 'src',
      rule: 'deprecated-api',
      message: `uses of deprecated SDK members not checked: ${report.reason}`,
    });
  } else {
    for (const use of report.uses) {
      warnings.push({ field: use.location, rule: 'deprecated-api', message: `${use.location}: ${use.message}` });
    }
  }
  return warnings;
}

/**
 * Checks a plugin folder with the server's rules: the manifest schema, name equals folder, configuration schema,
 * source files for every module, the built remote exposing every module, host compatibility, static and backend
 * files. Collects every problem instead of stopping at the first.
 */
export async function validatePlugin(dir: string, host: HostFacts = hostFacts()): Promise<ValidationReport> {
  const candidate = await readCandidate(dir);
  if (!candidate.manifest.ok) {
    return { problems: [{ field: 'manifest.json', rule: 'json', message: candidate.manifest.error }], warnings: [] };
  }
  const result = validate(PluginManifest, candidate.manifest.json);
  if (!result.ok) return { problems: result.problems, warnings: result.warnings };
  const manifest = result.value;
  const problems: Finding[] = [];
  const warnings: Finding[] = [...result.warnings];
  if (manifest.name !== candidate.folderName) {
    problems.push({
      field: 'name',
      rule: 'folder-name',
      message: `name: "${manifest.name}" must equal its folder name "${candidate.folderName}"`,
    });
  }
  problems.push(...configurationProblems(manifest));
  if (existsSync(path.join(dir, 'src'))) {
    try {
      exposesFor(dir, manifest);
    } catch (error) {
      problems.push({ field: 'frontend.contributions', rule: 'source-exists', message: (error as Error).message });
    }
  }
  for (const message of remoteProblems(manifest, candidate.remoteManifest)) {
    problems.push({ field: 'frontend.remote', rule: 'remote-exposes', message });
  }
  for (const message of hostCompatibilityProblems(manifest, host)) {
    problems.push({ field: 'compatibility', rule: 'compatible', message });
  }
  for (const file of candidate.missingStaticFiles) {
    const field = file === manifest.icon ? 'icon' : 'screenshots';
    problems.push({ field, rule: 'file-exists', message: `${field}: static/${file} does not exist` });
  }
  const entry = manifest.backend?.entry;
  if (entry && !existsSync(path.join(dir, 'backend', entry))) {
    problems.push({
      field: 'backend.entry',
      rule: 'file-exists',
      message: `backend.entry: backend/${entry} does not exist`,
    });
  }
  if (!manifest.signature) {
    warnings.push({
      field: 'signature',
      rule: 'signature',
      message: 'signature: not signed; servers with PLUGIN_SIGNATURES=require refuse it (workbench-plugin sign)',
    });
  }
  warnings.push(...(await apiDeprecationWarnings(dir, manifest, host)));
  return { name: manifest.name, version: manifest.version, problems, warnings };
}

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check the manifest and the built remote with the server’s rules',
  usage: `Usage: workbench-plugin validate [dir]

Checks the plugin in [dir] (default: the current folder) with the same rules the server applies:
the manifest schema, name equal to the folder, configuration schema, a source file for every module,
the built remote (frontend/mf-manifest.json) exposing every module, compatibility with this app,
static and backend files. Prints every problem with its field and rule; exits 1 if there is any.
Warns (without failing) about uses of deprecated SDK members in src/ and backend/ and about a plugin
API version the next major release of dbt-Workbench drops.`,
  async run(args) {
    const { positionals } = parse('validate', args, {});
    const dir = pluginDirectory(positionals[0]);
    const report = await validatePlugin(dir);
    for (const w of report.warnings) console.log(`warning  ${w.message}  [${w.rule}]`);
    for (const p of report.problems) console.log(`problem  ${p.message}  [${p.rule}]`);
    if (report.problems.length > 0) {
      throw new CliError(
        `${report.problems.length} problem(s) in ${path.relative(process.cwd(), dir) || '.'}; fix them and run validate again`,
      );
    }
    console.log(`ok  ${report.name}@${report.version} is valid`);
  },
};
