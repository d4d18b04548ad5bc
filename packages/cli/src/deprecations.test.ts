// Deprecation before removal, as a plugin team meets it: `validate` and `build` warn about each use of a deprecated
// SDK member (found by the compiler, not by the name) and about a plugin API major the next app release drops.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { validatePlugin } from './commands/validate.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const fixture = path.join(root, 'packages/cli/fixtures/deprecated-page');
const advice = 'Use PageProps, the same type named after its slot. Removed with plugin API 2.';

function cli(...args: string[]): { code: number; out: string } {
  const result = spawnSync(process.execPath, [path.join(root, 'packages/cli/dist/bin.js'), ...args], {
    encoding: 'utf8',
    cwd: root,
  });
  return { code: result.status ?? -1, out: result.stdout + result.stderr };
}

/** A copy of the fixture under `parent`: inside the repository it resolves the workspace's SDK, as after npm install. */
function copyFixture(parent: string): string {
  mkdirSync(parent, { recursive: true });
  const dir = path.join(mkdtempSync(path.join(parent, 'deprecations-')), 'deprecated-page');
  cpSync(fixture, dir, { recursive: true });
  return dir;
}

const inRepository = () => copyFixture(path.join(root, '.test-results/cli-deprecations'));

describe('deprecated SDK members', () => {
  test('validate and build warn about every use, with its place and what to use instead', () => {
    const dir = inRepository();
    const expected = ['src/Page.tsx:2:38', 'src/Page.tsx:5:14', 'src/Page.tsx:7:41'].map(
      (at) =>
        `warning  ${at}: 'PluginPageProps' is deprecated in @dbt-workbench/plugin-sdk: ${advice}  [deprecated-api]`,
    );
    const validated = cli('validate', dir);
    for (const line of expected) expect(validated.out).toContain(line);
    // The plugin's own deprecated helper is the team's business, not an SDK deprecation.
    expect(validated.out).not.toContain('legacyTitle');
    expect(validated.out.match(/\[deprecated-api\]/g)).toHaveLength(3);

    const built = cli('build', dir);
    expect(built.code).toBe(0);
    for (const line of expected) expect(built.out).toContain(line);
    // Warnings do not fail: once built, the plugin is valid.
    expect(cli('validate', dir)).toMatchObject({ code: 0, out: expect.stringContaining('is valid') });
  }, 120_000);

  test('the new name is silent, and a type of the plugin’s own that has the old name is not the SDK’s', () => {
    const dir = inRepository();
    writeFileSync(
      path.join(dir, 'src/Page.tsx'),
      `import { defineSlotComponent, slots, type PageProps } from '@dbt-workbench/plugin-sdk';

type PluginPageProps = PageProps;

function Page({ subPath }: PluginPageProps) {
  return <p>{subPath}</p>;
}

export default defineSlotComponent(slots.page, Page);
`,
    );
    const validated = cli('validate', dir);
    expect(validated.out).toContain('frontend/mf-manifest.json is missing');
    expect(validated.out).not.toContain('[deprecated-api]');
  }, 60_000);

  test('without the SDK installed the check says it did not run, instead of passing silently', async () => {
    const dir = copyFixture(os.tmpdir());
    const report = await validatePlugin(dir);
    expect(report.warnings).toContainEqual({
      field: 'src',
      rule: 'deprecated-api',
      message: 'uses of deprecated SDK members not checked: @dbt-workbench/plugin-sdk is not installed for this plugin',
    });
  }, 60_000);
});

describe('a plugin API major the next release drops', () => {
  test('a plugin targeting it is warned to move to the newest, and still passes', async () => {
    const dir = inRepository();
    const host = { version: '0.1.0', pluginApiVersions: [1, 2], deprecatedPluginApiVersions: [1] };
    const report = await validatePlugin(dir, host);
    expect(report.warnings).toContainEqual({
      field: 'compatibility.pluginApi',
      rule: 'plugin-api-deprecated',
      message:
        'compatibility.pluginApi: targets plugin API 1, which the next major release of dbt-Workbench drops; ' +
        "move to plugin API 2 (the SDK's deprecated members name their replacements)",
    });
    expect(report.problems.map((p) => p.rule)).not.toContain('compatible');

    const current = await validatePlugin(dir);
    expect(current.warnings.map((w) => w.rule)).not.toContain('plugin-api-deprecated');
  }, 60_000);
});
