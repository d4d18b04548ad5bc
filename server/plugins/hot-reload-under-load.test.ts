import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createSandboxFeature } from '../sandbox/feature.ts';
import { approve, callExt, eventually, withFixtures } from '../sandbox/testing.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

let app: TestApp;
const buildFile = () => path.join(app.dir, 'plugins', 'versioned', 'backend', 'build.ts');

beforeAll(async () => {
  // The route rate limit is not what this test is about: lift it so every call reaches the plugin.
  app = await startTestApp({
    env: { PLUGIN_ROUTE_RATE: '100000', PLUGIN_ROUTE_BURST: '100000' },
    features: [createSandboxFeature()],
    prepare: withFixtures('versioned'),
  });
  await approve(app, 'versioned');
  await eventually('versioned', async () =>
    (await callExt(app, '/api/ext/versioned/build')).statusCode === 200 ? true : undefined,
  );
}, 30_000);
afterAll(() => app?.close());

test('a plugin route called in a loop while the plugin is reloaded ten times never fails a request', async () => {
  const statuses: number[] = [];
  const builds = new Set<number>();
  let calling = true;
  // Every call is recorded, the waits for each new build included: none may fail.
  const call = async () => {
    const response = await callExt(app, '/api/ext/versioned/build');
    statuses.push(response.statusCode);
    if (response.statusCode !== 200) return undefined;
    const { build } = response.json() as { build: number };
    builds.add(build);
    return build;
  };
  // Four callers in a loop, as a busy page would be.
  const callers = Array.from({ length: 4 }, async () => {
    while (calling) {
      await call();
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  });
  for (let build = 2; build <= 11; build++) {
    writeFileSync(buildFile(), `export const build = ${build};\n`);
    await eventually(`build ${build} to serve`, async () => ((await call()) === build ? true : undefined));
  }
  calling = false;
  await Promise.all(callers);

  expect(statuses.length).toBeGreaterThan(40);
  expect(statuses.filter((s) => s !== 200)).toEqual([]);
  expect(builds.has(11)).toBe(true);
}, 120_000);
