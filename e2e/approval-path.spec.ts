import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures.ts';
import { livePluginsDir } from './playwright.config.ts';

// One approval path (issue 13 item 2): a newer version copied into a plugin's folder waits on the plugin's card
// with its diff while the running version serves; the admin rejects one version and approves the next.
const root = path.resolve(import.meta.dirname, '..');
const folder = path.join(root, livePluginsDir, 'copied-tips');
const refusedFolder = path.join(root, livePluginsDir, 'refused-tips');

/** Writes a plugin's manifest at `version` into its folder, as an operator copying a build there would. */
function placeVersion(dir: string, displayName: string, version: string, capabilities: string[]): void {
  mkdirSync(dir, { recursive: true });
  const manifest = {
    name: path.basename(dir),
    version,
    displayName,
    description: 'Tips an operator copies into the plugins folder.',
    author: { name: 'Data Guild' },
    compatibility: { workbench: '^0.1.0', pluginApi: 1 },
    capabilities,
  };
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
}

const copyVersion = (version: string, capabilities: string[]) =>
  placeVersion(folder, 'Copied tips', version, capabilities);

test.describe.configure({ mode: 'serial' });
test.afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
  rmSync(refusedFolder, { recursive: true, force: true });
});

test('a version copied into the folder is rejected, then a newer one approved, on the card', async ({ page }) => {
  copyVersion('1.0.0', ['read-metadata']);
  await page.goto('/admin/plugins');
  const card = page.locator('[data-testid="plugin-card"][data-plugin="copied-tips"]');
  await card.getByRole('button', { name: 'Approve Copied tips 1.0.0' }).click();
  await expect(card.getByTestId('plugin-state')).toHaveText('active');

  copyVersion('1.1.0', ['read-metadata', 'write-metadata']);
  const pending = card.getByTestId('pending-update');
  await expect(pending).toHaveAttribute('data-version', '1.1.0');
  await expect(pending).toContainText("Version 1.1.0, found in the plugin's folder, is waiting for your approval");
  await expect(pending).toContainText('write-metadata');
  await expect(card.getByTestId('plugin-state')).toHaveText('active');
  await expect(card.locator('h2')).toContainText('v1.0.0');
  await page.screenshot({ path: path.join(root, '.test-results', 'approval-path-waiting.png'), fullPage: true });

  await pending.getByRole('button', { name: 'Reject v1.1.0' }).click();
  await expect(pending.getByTestId('rejected-note')).toContainText('Rejected by admin');
  await expect(pending).toContainText('was rejected');
  await expect(pending.getByRole('button', { name: 'Reject v1.1.0' })).toHaveCount(0);
  await expect(card.locator('h2')).toContainText('v1.0.0');
  await expect(card.getByTestId('plugin-state')).toHaveText('active');

  // The rejection holds for 1.1.0 only: 1.2.0 asks again.
  copyVersion('1.2.0', ['read-metadata', 'write-metadata', 'modify-lineage']);
  await expect(pending).toHaveAttribute('data-version', '1.2.0');
  await expect(pending.getByTestId('rejected-note')).toHaveCount(0);
  await pending.getByRole('button', { name: 'Approve and activate v1.2.0' }).click();
  await expect(card.locator('h2')).toContainText('v1.2.0');
  await expect(card.getByTestId('pending-update')).toHaveCount(0);
  await expect(card.getByTestId('plugin-state')).toHaveText('active');
  await expect(card).toContainText('modify-lineage');
});

test('a first version copied into the folder is rejected on its card, and the card says so after a reload', async ({
  page,
}) => {
  // A version of its own per worker: a retry on the same server never meets the rejection of the failed attempt.
  const version = `1.0.${process.pid}`;
  placeVersion(refusedFolder, 'Refused tips', version, ['read-metadata']);
  await page.goto('/admin/plugins');
  const card = page.locator('[data-testid="plugin-card"][data-plugin="refused-tips"]');
  const review = card.getByTestId('approval-review');
  await expect(review.getByRole('button', { name: `Approve Refused tips ${version}` })).toBeVisible();
  await expect(card.getByTestId('plugin-state')).toHaveText('pending-approval');
  await review.getByRole('button', { name: `Reject v${version}` }).click();
  await expect(review.getByTestId('rejected-note')).toContainText('Rejected by admin on');

  await page.reload();
  await expect(review.getByTestId('rejected-note')).toContainText('Rejected by admin on');
  await expect(review).toContainText(`Version ${version} stays on disk and never runs`);
  await expect(card.getByTestId('plugin-state')).toHaveText('rejected');
  await expect(card.getByRole('button', { name: `Reject v${version}` })).toHaveCount(0);
  await expect(card.getByRole('button', { name: 'Remove…' })).toBeVisible();
  await page.screenshot({ path: path.join(root, '.test-results', 'approval-path-first-rejected.png'), fullPage: true });

  // "Pending approval" still finds it, counted apart from what waits for an admin.
  await page.getByRole('button', { name: /^Pending approval/ }).click();
  await expect(card).toBeVisible();
  await expect(page.locator('.wb-filter-chip[data-state="pending-approval"]')).toContainText(/\d+ rejected/);

  // Approving after all runs it and forgets the rejection.
  await review.getByRole('button', { name: `Approve v${version} after all` }).click();
  await page.getByRole('button', { name: /^All/ }).click();
  await expect(card.getByTestId('plugin-state')).toHaveText('active');
  await expect(card.getByTestId('rejected-note')).toHaveCount(0);
});
