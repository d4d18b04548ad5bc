import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, inWorkspace, pluginContent, test } from './fixtures.ts';
import { livePluginsDir } from './playwright.config.ts';

const root = path.resolve(import.meta.dirname, '..');
const work = path.join(root, '.test-results', 'devkit');
const cli = (...args: string[]) =>
  execFileSync(process.execPath, [path.join(root, 'packages/cli/dist/bin.js'), ...args], {
    cwd: root,
    encoding: 'utf8',
    stdio: 'pipe',
  });

test('a new plugin team: create, build, validate, sign, pack, install, see it, then change it live with dev', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const started = performance.now();
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const dir = path.join(work, 'team-radar');

  cli('create', 'team-radar', '--dir', work);
  cli('build', dir);
  expect(cli('validate', dir)).toMatch(/valid|no problems/i);
  cli('keygen', '--out', path.join(work, 'keys'), '--owner', 'Radar team');
  const privateKey = readdirSync(path.join(work, 'keys')).find((f) => f.endsWith('.private.pem'))!;
  cli('sign', dir, '--key', path.join(work, 'keys', privateKey));
  cli('pack', dir, '--out', path.join(work, 'dist'));
  const zip = readdirSync(path.join(work, 'dist')).find((f) => f.endsWith('.zip'))!;
  // The admin trusts the team's public key first: a package signed by an unknown key is refused.
  const publicKey = readdirSync(path.join(work, 'keys')).find((f) => f.endsWith('.public.json'))!;
  const trusted = await page.request.post('/api/signing-keys', {
    data: {
      name: 'Radar team',
      publicKey: JSON.parse(readFileSync(path.join(work, 'keys', publicKey), 'utf8')).publicKey,
    },
  });
  expect(trusted.status(), await trusted.text()).toBe(201);

  const installed = await page.request.post('/api/plugins/install', {
    headers: { 'content-type': 'application/zip' },
    data: readFileSync(path.join(work, 'dist', zip)),
  });
  expect(installed.status(), await installed.text()).toBeLessThan(300);
  const plugin = await (await page.request.get('/api/plugins/team-radar')).json();
  expect(plugin.state).toBe('active');

  await page.goto(inWorkspace());
  const greeting = pluginContent(page, 'team-radar').getByTestId('team-radar-greeting');
  await expect(greeting).toContainText('in Jaffle Shop (classic)');
  const scriptedSeconds = (performance.now() - started) / 1000;

  // dev mode: the team edits its source; the open page shows the change without a reload.
  await page.evaluate(() => Object.assign(window, { __sameDocument: true }));
  const dev = spawn(
    process.execPath,
    [path.join(root, 'packages/cli/dist/bin.js'), 'dev', dir, '--plugins-dir', path.join(root, livePluginsDir)],
    {
      cwd: root,
      stdio: 'ignore',
    },
  );
  try {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const greetingFile = path.join(dir, 'src', 'greeting.ts');
    writeFileSync(greetingFile, readFileSync(greetingFile, 'utf8').replace('Hello from', 'Hello again from'));
    await expect(greeting).toContainText('Hello again from', { timeout: 20_000 });
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  } finally {
    dev.kill();
  }
  console.log(
    `devkit: create → build → validate → keygen → sign → pack → install → shown took ${scriptedSeconds.toFixed(1)} s`,
  );
});
