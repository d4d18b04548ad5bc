import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { expect, inWorkspace, pluginContent, signInAs, test } from './fixtures.ts';

// `workbench-plugin dev --server URL --token T` against the running e2e server, as a plugin team runs it from its
// own machine: the developer's open page shows the dev build (isolated and in page) with a badge naming the dev
// server, and each edit without a reload; a colleague's page keeps the approved build, and nothing a colleague puts
// in the URL or the headers brings the dev server into their page's policy.

const root = path.resolve(import.meta.dirname, '..');
const work = path.join(root, '.test-results', 'dev-session');
const bin = path.join(root, 'packages/cli/dist/bin.js');
const cli = (...args: string[]) => execFileSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8' });
const plugin = 'dev-radar';
const dir = path.join(work, plugin);
const greetingFile = path.join(dir, 'src', 'greeting.ts');
const edit = (from: string, to: string) =>
  writeFileSync(greetingFile, readFileSync(greetingFile, 'utf8').replace(from, to));

/** Starts `dev --server`; resolves once its first build is registered, with the dev server's origin. */
async function startDev(server: string, token: string): Promise<{ process: ChildProcess; origin: string }> {
  const child = spawn(process.execPath, [bin, 'dev', dir, '--server', server, '--token', token], { cwd: root });
  let output = '';
  const origin = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
      const started = /your sessions load (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
      if (started) resolve(started[1]!);
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.once('exit', (code) => reject(new Error(`dev exited (${code}):\n${output}`)));
    setTimeout(() => reject(new Error(`dev did not start within 60 s:\n${output}`)), 60_000);
  });
  return { process: child, origin };
}

async function colleague(browser: Browser, baseURL: string): Promise<Page> {
  const page = await (await browser.newContext({ baseURL })).newPage();
  await signInAs(page, 'dev-colleague', 'colleague-password-1');
  return page;
}

test('a dev session: the developer sees the dev build and each edit live, in both trust levels; a colleague never does', async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(240_000);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  cli('create', plugin, '--dir', work);
  cli('build', dir);
  cli('pack', dir, '--out', path.join(work, 'dist'));
  const zip = readdirSync(path.join(work, 'dist')).find((f) => f.endsWith('.zip'))!;
  const installed = await page.request.post('/api/plugins/install', {
    headers: { 'content-type': 'application/zip' },
    data: readFileSync(path.join(work, 'dist', zip)),
  });
  expect(installed.status(), await installed.text()).toBeLessThan(300);
  expect((await (await page.request.get(`/api/plugins/${plugin}`)).json()).state).toBe('active');
  const made = await page.request.post('/api/users', {
    data: {
      username: 'dev-colleague',
      password: 'colleague-password-1',
      roles: { 'jaffle-shop-classic': 'developer' },
    },
  });
  expect([201, 409]).toContain(made.status());
  const token = await page.request.post('/api/tokens', { data: { name: 'dev radar', scopes: ['plugins:dev'] } });
  expect(token.status(), await token.text()).toBe(201);

  // The team's working copy differs from what was approved.
  edit('Hello from', 'Dev build says hi from');
  const dev = await startDev(baseURL!, (await token.json()).token);
  const other = await colleague(browser, baseURL!);
  try {
    await page.goto(inWorkspace());
    await page.evaluate(() => Object.assign(window, { __sameDocument: true }));
    const mine = pluginContent(page, plugin).getByTestId(`${plugin}-greeting`);
    await expect(mine).toContainText('Dev build says hi from');
    const badge = page.getByText(`dev build from ${dev.origin}`);
    await expect(badge).toBeVisible();
    await badge.scrollIntoViewIfNeeded();
    mkdirSync(path.join(root, '.test-results', 'screens'), { recursive: true });
    await page
      .locator('.wb-dev-build')
      .locator('..')
      .screenshot({ path: path.join(root, '.test-results', 'screens', 'dev-build-badge.png') });

    // A colleague, whatever they try, gets the approved build under the policy everyone else gets.
    const theirs = await other.goto(`${inWorkspace()}?dev=${dev.origin}&devOrigin=${dev.origin}`);
    expect(theirs!.headers()['content-security-policy']).not.toContain(dev.origin);
    await expect(pluginContent(other, plugin).getByTestId(`${plugin}-greeting`)).toContainText('Hello from');
    await expect(other.getByText('dev build from')).toHaveCount(0);
    const again = await other.request.get(inWorkspace(), {
      headers: { accept: 'text/html', 'x-dev-origin': dev.origin, origin: dev.origin, referer: `${dev.origin}/` },
    });
    expect(again.headers()['content-security-policy']).not.toContain(dev.origin);
    expect(again.headers()['content-security-policy']).toBe(theirs!.headers()['content-security-policy']);

    // An edit reaches the developer's open page without a reload (a new revision: a new frame).
    edit('Dev build says hi from', 'Edited live, hi from');
    await expect(mine).toContainText('Edited live, hi from', { timeout: 30_000 });

    // In page: the dev build runs in the shell's realm, under the developer's own policy, and reloads in place too.
    const level = await page.request.put(`/api/plugins/${plugin}/ui-trust`, { data: { level: 'in-page' } });
    expect(level.status(), await level.text()).toBe(200);
    const inPage = page.getByTestId(`${plugin}-greeting`);
    await expect(inPage).toContainText('Edited live, hi from');
    await expect(badge).toBeVisible();
    edit('Edited live, hi from', 'In page, live, hi from');
    await expect(inPage).toContainText('In page, live, hi from', { timeout: 30_000 });
    await expect(other.getByTestId(`${plugin}-greeting`)).toContainText('Hello from');
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);

    // Ctrl-C ends the session: the developer's page goes back to the approved build.
    dev.process.kill('SIGINT');
    await expect(inPage).toContainText('Hello from', { timeout: 30_000 });
    await expect(badge).toHaveCount(0);
  } finally {
    dev.process.kill('SIGINT');
    await page.request.put(`/api/plugins/${plugin}/ui-trust`, { data: { level: 'isolated' } });
    await other.context().close();
  }
});
