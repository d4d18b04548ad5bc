import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, inWorkspace, test } from './fixtures.ts';
import { livePluginsDir } from './playwright.config.ts';

const root = path.resolve(import.meta.dirname, '..');
const pluginDir = path.join(root, livePluginsDir, 'live-widget');
const messageFile = path.join(pluginDir, 'src', 'message.ts');

/** Rewrites the fixture's message and rebuilds it in place, as a plugin team's build would. */
function rebuildWith(message: string): void {
  const source = readFileSync(messageFile, 'utf8').replace(/message = '.*'/, `message = '${message}'`);
  writeFileSync(messageFile, source);
  execFileSync(process.execPath, [path.join(root, 'scripts/build.ts'), '--plugin', pluginDir], {
    cwd: root,
    stdio: 'pipe',
  });
}

test.describe.configure({ mode: 'serial' });

test('a rebuilt plugin runs its new code in an open page, without a reload', async ({ page }) => {
  await page.goto(inWorkspace());
  const widget = page.getByTestId('live-message');
  await expect(widget).toHaveText('Build one is running');
  await page.evaluate(() => Object.assign(window, { __sameDocument: true }));

  rebuildWith('Build two is running');
  await expect(widget).toHaveText('Build two is running', { timeout: 10_000 });
  rebuildWith('Build three is running');
  await expect(widget).toHaveText('Build three is running', { timeout: 10_000 });

  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
});

test('a plugin removed from disk leaves open shells: its tab goes and its open page says so', async ({ page }) => {
  await page.goto(inWorkspace('ext/live'));
  await expect(page.getByTestId('live-page-message')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Live page' })).toBeVisible();
  await page.evaluate(() => Object.assign(window, { __sameDocument: true }));

  rmSync(pluginDir, { recursive: true, force: true });
  await expect(page.getByTestId('plugin-unavailable')).toContainText('This plugin is no longer available', {
    timeout: 10_000,
  });
  await expect(page.getByRole('link', { name: 'Live page' })).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
});
