import path from 'node:path';
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, inWorkspace, pluginContent, test } from './fixtures.ts';

// Installs from e2e/fixtures/rollback (absolute server paths) into this server's private plugins directory, under
// names no other spec uses, and removes them again whatever happens.
const fixtures = path.resolve(import.meta.dirname, 'fixtures/rollback');
const GREETING = 'rollback-greeting';
const BASE = 'rollback-base';
const DEPENDANT = 'rollback-dependant';

async function install(request: APIRequestContext, folder: string): Promise<void> {
  const response = await request.post('/api/plugins/install', { data: { path: path.join(fixtures, folder) } });
  expect(response.status(), await response.text()).toBe(201);
}

async function removeLeftovers(request: APIRequestContext): Promise<void> {
  for (const name of [DEPENDANT, BASE, GREETING]) {
    const response = await request.delete(`/api/plugins/${name}?confirm=true`);
    expect([200, 404]).toContain(response.status());
  }
}

const cardOf = (page: Page, name: string) => page.locator(`[data-testid="plugin-card"][data-plugin="${name}"]`);
const marker = (page: Page) => page.evaluate(() => (window as unknown as { __marker?: number }).__marker);

test.beforeEach(async ({ page }) => removeLeftovers(page.request));
test.afterEach(async ({ page }) => removeLeftovers(page.request));

test('rolling back a bad update restores the old page in an open browser, without a reload', async ({
  page,
  context,
}) => {
  await install(page.request, 'greeting-v1');
  await page.goto(inWorkspace('ext/greeting'));
  await expect(pluginContent(page, GREETING).getByTestId('greeting')).toHaveText('Greeting v1');
  await page.evaluate(() => Object.assign(window, { __marker: 1 }));

  // The bad update: v2's page throws while rendering; the open page shows the error card instead.
  const updated = await page.request.post(`/api/plugins/${GREETING}/update`, {
    data: { path: path.join(fixtures, 'greeting-v2') },
  });
  expect(updated.status(), await updated.text()).toBe(200);
  const error = page.locator(`[data-testid="plugin-error"][data-plugin="${GREETING}"]`);
  await expect(error).toBeVisible({ timeout: 10_000 });
  await expect(pluginContent(page, GREETING).getByTestId('greeting')).toHaveCount(0);

  // Roll back in the admin page of a second tab.
  const admin = await context.newPage();
  await admin.goto('/admin/plugins');
  const card = cardOf(admin, GREETING);
  await expect(card.getByRole('heading', { level: 2 })).toContainText('v2.0.0');
  await expect(card.getByTestId('install-controls')).toContainText('replaced v1.0.0 (kept for rollback)');
  await card.getByRole('button', { name: 'Roll back…' }).click();
  await card.getByTestId('rollback-form').getByRole('button', { name: 'Roll back to v1.0.0' }).click();
  await expect(card.getByRole('heading', { level: 2 })).toContainText('v1.0.0');
  await expect(card.getByTestId('plugin-state')).toHaveText('active');

  // The first tab runs v1 again, in the same document.
  await expect(pluginContent(page, GREETING).getByTestId('greeting')).toHaveText('Greeting v1', { timeout: 10_000 });
  await expect(error).toHaveCount(0);
  expect(await marker(page)).toBe(1);
});

test('removing a plugin another depends on names the dependant and asks first; cancelling changes nothing', async ({
  page,
}) => {
  await install(page.request, 'base');
  await install(page.request, 'dependant');
  await page.goto('/admin/plugins');
  const base = cardOf(page, BASE);
  const dependant = cardOf(page, DEPENDANT);
  await expect(base.getByTestId('plugin-state')).toHaveText('active');
  await expect(dependant.getByTestId('plugin-state')).toHaveText('active');

  // The confirmation lists the dependant; cancelling leaves both as they were.
  await base.getByRole('button', { name: 'Remove…' }).click();
  const confirm = base.getByTestId('remove-confirm');
  await expect(confirm.getByTestId('dependants')).toContainText('1 plugin depends on it and will go inactive');
  await expect(confirm.getByTestId('dependants')).toContainText(`${DEPENDANT} (needs ^1.0.0, now active)`);
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toHaveCount(0);
  await page.reload();
  await expect(base.getByTestId('plugin-state')).toHaveText('active');
  await expect(dependant.getByTestId('plugin-state')).toHaveText('active');

  // The server refuses the removal unless it is confirmed.
  const unconfirmed = await page.request.delete(`/api/plugins/${BASE}`);
  expect(unconfirmed.status()).toBe(409);
  expect(await unconfirmed.text()).toContain(DEPENDANT);

  // Confirmed: the base goes, and the dependant says which dependency it misses.
  await base.getByRole('button', { name: 'Remove…' }).click();
  await base
    .getByTestId('remove-confirm')
    .getByRole('button', { name: `Remove ${BASE}` })
    .click();
  await expect(base).toHaveCount(0);
  await expect(dependant.getByTestId('plugin-state')).toHaveText('incompatible');
  await expect(dependant.getByTestId('plugin-reason')).toContainText(
    `needs plugin "${BASE}" ^1.0.0, which is not installed`,
  );
});
