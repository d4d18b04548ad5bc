import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, inWorkspace, test } from './fixtures.ts';
import { ports } from './playwright.config.ts';

// The e2e server runs in its own copy of the demo workspaces (e2e/prepare-server.ts).
const runResults = path.resolve(
  import.meta.dirname,
  `../.test-results/e2e-${ports.plugins}/workspaces/jaffle-shop-classic/target/run_results.json`,
);
const committed = readFileSync(
  path.resolve(import.meta.dirname, '../demo/workspaces/jaffle-shop-classic/target/run_results.json'),
);

test('Run now starts a run whose log streams in and which ends in success', async ({ page }) => {
  await page.goto(inWorkspace('runs'));
  await expect(page.getByRole('heading', { name: 'Runs', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Run now' }).click();

  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  const log = page.getByTestId('run-log');
  await expect(log).toContainText(/1 of \d+ START /);
  await expect(page.getByRole('heading', { name: /^Run / }).getByTestId('run-status')).toHaveText('success', {
    timeout: 20_000,
  });
  await expect(log).toContainText('Completed successfully');
  await expect(log).toContainText(/Done\. PASS=\d+ WARN=0 ERROR=0 SKIP=0 TOTAL=\d+/);
  await expect(page.getByTestId('run-exit-code')).toHaveText('0');
  expect(JSON.parse(readFileSync(runResults, 'utf8')).metadata.invocation_id).not.toBe(
    JSON.parse(committed.toString('utf8')).metadata.invocation_id,
  );

  await page.getByRole('link', { name: '← All runs' }).click();
  await expect(page.getByTestId('runs-table').getByTestId('run-status').first()).toHaveText('success');
});

test('a schedule is created with its cron checked as you type, shows its next run, and is deleted', async ({
  page,
}) => {
  const name = `e2e yearly ${Date.now()}`;
  await page.goto(inWorkspace('schedules'));
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Cron').fill('0 3 1 13 *');
  await expect(page.getByTestId('cron-problem')).toContainText('Cron:');
  await page.getByLabel('Cron').fill('0 3 1 1 *');
  await page.getByLabel('Time zone').fill('Europe/Oslo');
  await expect(page.getByTestId('cron-preview')).toContainText('3:00 AM GMT+1');
  await page.getByRole('button', { name: 'Create schedule' }).click();

  const row = page.getByTestId('schedule-row').filter({ hasText: name });
  await expect(row).toContainText('Europe/Oslo');
  await expect(row).toContainText('Jan 1');
  await row.getByRole('button', { name: 'Delete…' }).click();
  await row.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(row).toHaveCount(0);
});
