// The version rule of the plugin contract (packages/plugin-sdk/README.md, "Versions"): the plugin API major is the
// SDK's major, and 1 while the SDK is 0.x. A breaking change to what plugins see bumps both, together.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { expect, test } from 'vitest';
import {
  DEPRECATED_PLUGIN_API_VERSIONS,
  PLUGIN_API_VERSION,
  SUPPORTED_PLUGIN_API_VERSIONS,
} from '@dbt-workbench/plugin-sdk/contracts/versions';
import { manifestJson } from '../packages/cli/src/commands/templates.ts';
import { appVersion, hostFacts } from '../server/host-info.ts';

const root = path.resolve(import.meta.dirname, '..');
const readJson = <T>(file: string) => JSON.parse(readFileSync(path.join(root, file), 'utf8')) as T;
const sdk = readJson<{ version: string }>('packages/plugin-sdk/package.json');
const cli = readJson<{ version: string; dependencies: Record<string, string> }>('packages/cli/package.json');

test('the plugin API major follows the SDK major (1 while the SDK is 0.x)', () => {
  const major = semver.major(sdk.version);
  expect(PLUGIN_API_VERSION, `SDK ${sdk.version}`).toBe(major === 0 ? 1 : major);
  expect(SUPPORTED_PLUGIN_API_VERSIONS).toContain(PLUGIN_API_VERSION);
});

test('a plugin API major is deprecated while still supported, and never the current one', () => {
  for (const api of DEPRECATED_PLUGIN_API_VERSIONS) expect(SUPPORTED_PLUGIN_API_VERSIONS).toContain(api);
  expect(DEPRECATED_PLUGIN_API_VERSIONS).not.toContain(PLUGIN_API_VERSION);
});

test('the app runs the plugin API of the SDK it is built with, and the SDK is released with the app', () => {
  expect(hostFacts().pluginApiVersions).toContain(PLUGIN_API_VERSION);
  expect(sdk.version).toBe(appVersion());
  expect(semver.satisfies(sdk.version, cli.dependencies['@dbt-workbench/plugin-sdk']!), 'the CLI takes this SDK').toBe(
    true,
  );
});

test('what create writes and the example plugins declare is the current plugin API', () => {
  const scaffold = JSON.parse(
    manifestJson({
      name: 'probe',
      displayName: 'Probe',
      component: 'Probe',
      backend: false,
      workbenchRange: `^${sdk.version}`,
      sdkSpec: `^${sdk.version}`,
      cliSpec: `^${cli.version}`,
    }),
  ) as { compatibility: { pluginApi: number } };
  expect(scaffold.compatibility.pluginApi).toBe(PLUGIN_API_VERSION);
  for (const plugin of readdirSync(path.join(root, 'plugins'))) {
    const manifest = readJson<{ compatibility: { pluginApi: number } }>(`plugins/${plugin}/manifest.json`);
    expect(SUPPORTED_PLUGIN_API_VERSIONS, plugin).toContain(manifest.compatibility.pluginApi);
  }
});
