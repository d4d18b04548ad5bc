import { cpSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { expect, inWorkspace, test } from './fixtures.ts';

// Runs, DuckDB loads, workspace additions and isolated plugin frames: slow on a busy 2-core machine.
test.describe.configure({ timeout: 90_000 });

/** Approves data-quality (it reads metadata), as an admin would after reviewing it. */
async function approveDataQuality(page: import('@playwright/test').Page): Promise<void> {
  const plugin = await (await page.request.get('/api/plugins/data-quality')).json();
  if (plugin.state === 'pending-approval') {
    const response = await page.request.post('/api/plugins/data-quality/approve', {
      data: { version: plugin.version },
    });
    expect(response.status()).toBe(200);
  }
}

const frameOf = (page: import('@playwright/test').Page, plugin: string) =>
  page.locator(`[data-testid="plugin-frame"][data-plugin="${plugin}"]`).contentFrame();

test('data-quality never claims a run it has not seen: a project without run results says no tests ran', async ({
  page,
}) => {
  await approveDataQuality(page);
  // The classic jaffle shop's manifest alone: its 20 tests have no result.
  const name = `no-run-${Date.now()}`;
  const folder = path.resolve(import.meta.dirname, '..', '.test-results', `e2e-${name}`);
  mkdirSync(path.join(folder, 'target'), { recursive: true });
  cpSync(
    path.resolve(import.meta.dirname, '../demo/workspaces/jaffle-shop-classic/target/manifest.json'),
    path.join(folder, 'target/manifest.json'),
  );
  const added = await page.request.post('/api/workspaces', { data: { name, title: 'Never run', projectDir: folder } });
  expect(added.status(), await added.text()).toBe(201);
  try {
    await page.goto(`/w/${name}`);
    const widget = frameOf(page, 'data-quality');
    await expect(widget.getByTestId('failing-models')).toHaveText(
      'No tests ran yet: none of the 20 tests has a result.',
      { timeout: 20_000 },
    );
    await expect(widget.locator('body')).not.toContainText('passed');

    await page.goto(`/w/${name}/models/model.jaffle_shop.customers`);
    const panel = frameOf(page, 'data-quality');
    await expect(panel.getByTestId('quality-headline')).toHaveText(
      /^No tests ran: none of its \d+ tests has a result yet\.$/,
      { timeout: 20_000 },
    );
    await expect(panel.getByTestId('below-bar')).toHaveCount(0);
    await expect(panel.locator('body')).not.toContainText('0%');
  } finally {
    await page.request.delete(`/api/workspaces/${name}`);
    rmSync(folder, { recursive: true, force: true });
  }
});

test('data-quality on a model without columns says it has none, not that every column has a test', async ({ page }) => {
  await approveDataQuality(page);
  await page.goto(inWorkspace('models/model.jaffle_shop.daily_orders'));
  const panel = frameOf(page, 'data-quality');
  await expect(panel.getByTestId('quality-columns')).toHaveText('This model has no documented columns.', {
    timeout: 20_000,
  });
  await expect(panel.getByTestId('quality-headline')).toHaveText('No tests yet.');
});
