import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, inWorkspace, pluginContent, test } from './fixtures.ts';
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
  // Two builds of the plugin, each taking seconds on a busy machine.
  test.setTimeout(60_000);
  const warnings: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text());
  });
  await page.goto(inWorkspace());
  const widget = pluginContent(page, 'live-widget').getByTestId('live-message');
  await expect(widget).toHaveText('Build one is running');
  await page.evaluate(() => Object.assign(window, { __sameDocument: true }));

  rebuildWith('Build two is running');
  await expect(widget).toHaveText('Build two is running', { timeout: 10_000 });
  rebuildWith('Build three is running');
  await expect(widget).toHaveText('Build three is running', { timeout: 10_000 });

  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  // The new build replaces the old one quietly: no "remote is already registered" from the runtime.
  expect(warnings.filter((text) => text.includes('already registered'))).toEqual([]);
});

test('approving a plugin in the admin page adds its widget to another open shell, without a reload', async ({
  page,
  context,
}) => {
  await page.goto(inWorkspace());
  await expect(page.getByTestId('core-summary')).toBeVisible();
  await expect(pluginContent(page, 'approval-widget').getByTestId('approved-widget')).toHaveCount(0);
  await page.evaluate(() => Object.assign(window, { __sameDocument: true }));

  const admin = await context.newPage();
  await admin.goto('/admin/plugins');
  const card = admin.locator('[data-testid="plugin-card"][data-plugin="approval-widget"]');
  await expect(card.getByTestId('plugin-state')).toHaveText('pending-approval');
  await expect(card.getByTestId('approval-review')).toContainText('read-metadata');
  await card.getByRole('button', { name: 'Approve Approval widget 2.0.0' }).click();
  await expect(card.getByTestId('plugin-state')).toHaveText('active');

  await expect(pluginContent(page, 'approval-widget').getByTestId('approved-widget')).toHaveText(
    'Approved and running in Jaffle Shop (classic)',
  );
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
});

test('turning a plugin off in one workspace removes it from open shells there only', async ({ page, context }) => {
  await page.goto(inWorkspace());
  await expect(pluginContent(page, 'approval-widget').getByTestId('approved-widget')).toBeVisible();
  const other = await context.newPage();
  await other.goto('/w/jaffle-shop');
  await expect(pluginContent(other, 'approval-widget').getByTestId('approved-widget')).toBeVisible();

  const admin = await context.newPage();
  await admin.goto('/admin/plugins');
  const card = admin.locator('[data-testid="plugin-card"][data-plugin="approval-widget"]');
  await card.getByLabel('Enablement in Jaffle Shop (classic)').selectOption('off');

  await expect(pluginContent(page, 'approval-widget').getByTestId('approved-widget')).toHaveCount(0);
  await expect(pluginContent(other, 'approval-widget').getByTestId('approved-widget')).toBeVisible();
  await card.getByLabel('Enablement in Jaffle Shop (classic)').selectOption('inherit');
  await expect(pluginContent(page, 'approval-widget').getByTestId('approved-widget')).toBeVisible();
});

test('the SQL editor keeps its text while plugins come and go', async ({ page }) => {
  await page.goto(inWorkspace('sql'));
  const editor = page.getByLabel('SQL editor');
  await editor.click();
  await page.keyboard.type('select 42 as answer');
  const tab = page.getByRole('link', { name: 'Live page' });
  await expect(tab).toBeVisible();

  expect((await page.request.post('/api/plugins/live-widget/disable', { data: {} })).status()).toBe(200);
  await expect(tab).toHaveCount(0);
  expect((await page.request.post('/api/plugins/live-widget/enable', { data: {} })).status()).toBe(200);
  await expect(tab).toBeVisible();
  await expect(editor).toContainText('select 42 as answer');
});

test('a plugin removed from disk leaves open shells: its tab goes and its open page says so', async ({ page }) => {
  await page.goto(inWorkspace('ext/live'));
  await expect(pluginContent(page, 'live-widget').getByTestId('live-page-message')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Live page' })).toBeVisible();
  await page.evaluate(() => Object.assign(window, { __sameDocument: true }));

  rmSync(pluginDir, { recursive: true, force: true });
  await expect(page.getByTestId('plugin-unavailable')).toContainText('This plugin is no longer available', {
    timeout: 10_000,
  });
  await expect(page.getByRole('link', { name: 'Live page' })).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
});
