// `workbench-plugin deploy --server URL --token T [--dir .]`: pack (signed when a key is given) and upload to a
// running server with an API token of scope plugins:deploy; the version then takes the server's approval path.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AccessEntry } from '@dbt-workbench/plugin-sdk/contracts/access-request';
import * as deployApi from '@dbt-workbench/plugin-sdk/contracts/deploy-api';
import type { AnswerFailure, RouteContract, RouteInput } from '@dbt-workbench/plugin-sdk/contracts/http';
import { signPluginDirectory } from '@dbt-workbench/plugin-sdk/node/sign';
import { parse } from '../args.ts';
import { CliError, type Command } from '../errors.ts';
import { pluginDirectory, readValidManifest } from '../plugin-dir.ts';
import { callServer } from '../server-api.ts';
import { packPlugin } from './pack.ts';

/** The result of a deploy, as printed. */
export interface DeployReport {
  name: string;
  version: string;
  /** `installed` (a new plugin) or `updated`. */
  kind: 'installed' | 'updated';
  state: string;
  reason?: string;
  /** What the version asks for that waits for an admin's approval. */
  awaiting: string[];
  warnings: string[];
}

function serverUrl(raw: string): URL {
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
    return url;
  } catch {
    throw new CliError(
      `deploy: --server must be the app's http(s) address, e.g. https://workbench.example.com, not "${raw}"`,
    );
  }
}

/** A refused request as one line that says what to do. */
function refusal(failure: AnswerFailure, what: string): CliError {
  const { status, message } = failure;
  const code = failure.kind === 'error' ? failure.code : failure.kind;
  const details = Array.isArray(failure.details)
    ? (failure.details as unknown[]).map((d) => (typeof d === 'string' ? d : JSON.stringify(d)))
    : [];
  const more = details.length > 0 ? `\n  ${details.join('\n  ')}` : '';
  switch (status) {
    case 401:
      return new CliError(`deploy: the server refused the token (401 ${code}): ${message}`);
    case 403:
      return new CliError(
        `deploy: the token may not ${what} (403 ${code}): ${message}; an admin makes a token with the plugins:deploy scope under Admin → API tokens`,
      );
    case 400:
    case 413:
      return new CliError(`deploy: the server refused the package (${status}): ${message}${more}`);
    case 409:
      return new CliError(`deploy: ${message} (409 conflict)`);
    default:
      return new CliError(`deploy: ${what} failed with ${status} ${code}: ${message}${more}`);
  }
}

const awaitingOf = (entries: AccessEntry[] | undefined) =>
  (entries ?? []).filter((e) => !e.approved).map((e) => e.description);

/** Packs `dir` (signing it first with `keyFile`), uploads it as an install or an update, and reports the outcome. */
export async function deployPlugin(options: {
  dir: string;
  server: string;
  token: string;
  keyFile?: string;
}): Promise<DeployReport> {
  const server = serverUrl(options.server);
  const manifest = readValidManifest(options.dir);
  if (options.keyFile) {
    if (!existsSync(options.keyFile)) throw new CliError(`deploy: the signing key ${options.keyFile} does not exist`);
    await signPluginDirectory(options.dir, readFileSync(options.keyFile, 'utf8'));
  }
  const { zip } = await packPlugin(options.dir, path.join(options.dir, 'dist'));
  const bytes = new Uint8Array(readFileSync(zip));
  const params = { name: manifest.name };
  const call = <C extends RouteContract>(contract: C, input: RouteInput<C>) =>
    callServer('deploy', server, options.token, contract, input);

  const existing = await call(deployApi.getDeployedPlugin, { params });
  const missing = !existing.ok && existing.failure.status === 404;
  if (!existing.ok && !missing) throw refusal(existing.failure, `read plugin ${manifest.name}`);
  if (missing) {
    const response = await call(deployApi.installPackage, { body: bytes });
    if (!response.ok) throw refusal(response.failure, 'install plugins');
    const answer = response.value;
    return {
      name: manifest.name,
      version: answer.plugin.version ?? manifest.version,
      kind: 'installed',
      state: answer.plugin.state,
      // A pending plugin's reason repeats what the awaiting list says item by item.
      ...(answer.plugin.reason && answer.plugin.state !== 'pending-approval' ? { reason: answer.plugin.reason } : {}),
      awaiting: awaitingOf(answer.plugin.access),
      warnings: answer.warnings ?? [],
    };
  }
  const response = await call(deployApi.updatePackage, { params, body: bytes });
  if (!response.ok) throw refusal(response.failure, 'update plugins');
  const answer = response.value;
  const pending = answer.status === 'pending-approval';
  return {
    name: manifest.name,
    version: manifest.version,
    kind: 'updated',
    // While an update waits, the plugin's own state is that of the version still running.
    state: pending ? 'pending-approval' : (answer.plugin?.state ?? 'active'),
    ...(pending
      ? {
          reason: `meanwhile ${answer.plugin?.version ?? 'the installed version'} stays ${answer.plugin?.state ?? 'as it is'}`,
        }
      : answer.plugin?.reason
        ? { reason: answer.plugin.reason }
        : {}),
    awaiting: answer.diff.access.needsApproval.map((e) => e.description),
    warnings: answer.diff.warnings ?? [],
  };
}

/** The report as the lines the command prints. */
export function describeDeploy(report: DeployReport, server: string): string {
  const lines = [
    `${report.kind} ${report.name}@${report.version} on ${server}: ${report.state}${report.reason ? ` (${report.reason})` : ''}`,
  ];
  if (report.awaiting.length > 0) {
    lines.push('waiting for an admin to approve (Admin → Plugins):', ...report.awaiting.map((a) => `  - ${a}`));
  }
  lines.push(...report.warnings.map((w) => `warning: ${w}`));
  return lines.join('\n');
}

export const deployCommand: Command = {
  name: 'deploy',
  summary: 'pack and upload to a running server with an API token',
  usage: `Usage: workbench-plugin deploy --server <url> --token <token> [--dir <folder>] [--key <private key .pem>]

Validates and packs the plugin in --dir (default: the current folder), signing it first when --key is given
(or WORKBENCH_SIGNING_KEY names a key file), and uploads it to the server: a new plugin is installed, an
installed one updated. Prints the version, its state and what waits for an admin's approval.
--token: an API token with the plugins:deploy scope (Admin → API tokens); WORKBENCH_TOKEN is read when it
is not given, which keeps it out of the process list and CI logs.`,
  async run(args) {
    const { values } = parse(
      'deploy',
      args,
      { server: { type: 'string' }, token: { type: 'string' }, dir: { type: 'string' }, key: { type: 'string' } },
      0,
    );
    const server = values.server ?? process.env.WORKBENCH_SERVER;
    const token = values.token ?? process.env.WORKBENCH_TOKEN;
    if (!server) throw new CliError('deploy: --server <url> is required (the address of the running app)');
    if (!token) {
      throw new CliError(
        'deploy: --token <token> (or WORKBENCH_TOKEN) is required: an admin makes one with the plugins:deploy scope under Admin → API tokens',
      );
    }
    const keyFile = values.key ?? process.env.WORKBENCH_SIGNING_KEY;
    const dir = pluginDirectory(values.dir);
    const report = await deployPlugin({ dir, server, token, ...(keyFile ? { keyFile } : {}) });
    console.log(describeDeploy(report, serverUrl(server).origin));
  },
};
