import path from 'node:path';
import type { APIRequestContext } from '@playwright/test';
import { expect, test } from './fixtures.ts';

// The catalog is e2e/fixtures/marketplace (PLUGIN_CATALOG of the e2e servers). Installing writes into the server's
// plugins directory, so this spec uses its own plugin name and removes it again, whatever happens.
const PLUGIN = 'e2e-market-notes';

async function removeLeftover(request: APIRequestContext): Promise<void> {
  const response = await request.delete(`/api/plugins/${PLUGIN}`);
  expect([200, 404]).toContain(response.status());
}

test.afterEach(async ({ page }) => removeLeftover(page.request));

test('an admin installs from the marketplace, approves, updates with a new capability and removes', async ({
  page,
}) => {
  await removeLeftover(page.request);
  await page.goto('/admin/marketplace');
  const entry = page.locator(`[data-testid="market-entry"][data-plugin="${PLUGIN}"]`);
  await expect(entry).toContainText('Market notes');
  await expect(entry.getByRole('img', { name: 'Market notes screenshot 1' })).toBeVisible();

  // Search and compatibility: the future plugin is listed with why it cannot be installed.
  await page.getByRole('searchbox').fill('future');
  await expect(page.getByTestId('market-entry')).toHaveCount(1);
  const future = page.locator('[data-testid="market-entry"][data-plugin="e2e-market-future"]');
  await expect(future.getByTestId('compatibility-warning')).toContainText('needs dbt-Workbench >=99.0.0');
  await expect(future.getByRole('button', { name: 'Install' })).toBeDisabled();
  await page.getByRole('searchbox').fill('');

  // Install 1.0.0: the capabilities it asks for are shown first.
  await entry.getByLabel('Version of Market notes').selectOption('1.0.0');
  await entry.getByRole('button', { name: 'Install' }).click();
  await expect(entry.getByTestId('install-confirm')).toContainText('read-metadata');
  await entry.getByRole('button', { name: 'Install v1.0.0' }).click();
  await expect(entry.getByTestId('install-done')).toContainText('pending-approval');

  // Approve it on the Plugins page.
  await page.goto('/admin/plugins');
  const card = page.locator(`[data-testid="plugin-card"][data-plugin="${PLUGIN}"]`);
  await expect(card.getByTestId('plugin-state')).toHaveText('pending-approval');
  await expect(card.getByTestId('install-controls')).toContainText('From marketplace:e2e-market-notes@1.0.0');
  await card.getByRole('button', { name: 'Approve Market notes 1.0.0' }).click();
  await expect(card.getByTestId('plugin-state')).toHaveText('active');

  // Update to 1.1.0, which adds extend-api: the diff first, then it waits while 1.0.0 stays active.
  await page.goto('/admin/marketplace');
  await expect(entry.getByTestId('installed-state')).toContainText('v1.0.0');
  await entry.getByRole('button', { name: 'Update to v1.1.0' }).click();
  const diff = entry.getByTestId('update-diff');
  await expect(diff).toContainText('v1.0.0 → v1.1.0');
  await expect(diff.getByTestId('diff-added')).toContainText('extend-api');
  await expect(diff).toContainText('extend-api');
  await expect(diff.getByTestId('diff-approval')).toContainText('until you approve, v1.0.0 stays active');
  await entry.getByRole('button', { name: 'Stage v1.1.0 for approval' }).click();
  await expect(entry.getByTestId('update-done')).toContainText('v1.0.0 stays active');

  await page.goto('/admin/plugins');
  await expect(card.getByRole('heading', { level: 2 })).toContainText('v1.0.0');
  await expect(card.getByTestId('plugin-state')).toHaveText('active');
  const pending = card.getByTestId('pending-update');
  await expect(pending).toContainText('Update to v1.1.0 is waiting for your approval');
  await expect(pending.getByTestId('update-diff')).toContainText('extend-api');
  await pending.getByRole('button', { name: 'Approve and activate v1.1.0' }).click();
  await expect(card.getByRole('heading', { level: 2 })).toContainText('v1.1.0');
  await expect(card.getByTestId('plugin-state')).toHaveText('active');
  await expect(card.getByTestId('pending-update')).toHaveCount(0);
  await expect(card.getByTestId('install-controls')).toContainText('replaced v1.0.0 (kept for rollback)');

  // Remove it.
  await card.getByRole('button', { name: 'Remove…' }).click();
  await card.getByRole('button', { name: `Remove ${PLUGIN}` }).click();
  await expect(card).toHaveCount(0);

  // Every step is in the audit log, newest first.
  await page.goto('/admin/audit');
  await page.getByLabel('Plugin or user').selectOption(PLUGIN);
  const actions = page.getByTestId('audit-entry');
  await expect(actions).toHaveCount(5);
  await expect(actions.nth(0)).toHaveAttribute('data-action', 'plugin.remove');
  await expect(actions.nth(1)).toHaveAttribute('data-action', 'plugin.update.approve');
  await expect(actions.nth(2)).toHaveAttribute('data-action', 'plugin.update.stage');
  await expect(actions.nth(3)).toHaveAttribute('data-action', 'plugin.approve');
  await expect(actions.nth(4)).toHaveAttribute('data-action', 'plugin.install');
});

test('a zip upload is read and shown before anything is installed, then waits for approval', async ({ page }) => {
  await removeLeftover(page.request);
  await page.goto('/admin/marketplace');
  const upload = page.getByTestId('install-from-package');
  await upload.locator('summary').first().click();
  await upload
    .getByLabel('Plugin package (.zip)')
    .setInputFiles(path.join(import.meta.dirname, 'fixtures', 'marketplace', `${PLUGIN}-1.0.0.zip`));
  await upload.getByRole('button', { name: 'Review package' }).click();

  const preview = upload.getByTestId('install-preview');
  await expect(preview).toContainText('Market notes v1.0.0');
  await expect(preview).toContainText('read-metadata');
  await expect(preview).toContainText('It runs only once you approve all of it');
  // Nothing is installed by the preview.
  expect((await page.request.get(`/api/plugins/${PLUGIN}`)).status()).toBe(404);

  await upload.getByRole('button', { name: 'Install v1.0.0' }).click();
  await expect(upload.getByTestId('install-done')).toContainText('pending-approval');
  await page.goto('/admin/plugins');
  const review = page.locator(`[data-testid="plugin-card"][data-plugin="${PLUGIN}"]`).getByTestId('approval-review');
  await expect(review).toContainText('needs approval');
  await expect(review).toContainText('read-metadata');
});
