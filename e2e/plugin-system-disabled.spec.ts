import { expect, inWorkspace, test } from './fixtures.ts';

test('with PLUGIN_SYSTEM_ENABLED=false no plugin UI appears and the dashboard works', async ({ page }) => {
  const pluginRequests: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith('/plugins/')) pluginRequests.push(r.url());
  });
  await page.goto(inWorkspace());
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await expect(page.getByTestId('plugins-off')).toContainText('Plugins are turned off');
  await expect(page.getByTestId('core-summary')).toContainText('Models');
  await expect(page.getByTestId('slot-dashboard.widget')).toHaveCount(0);
  await expect(page.getByText('Extensions', { exact: true })).toHaveCount(0);
  await expect(page.getByRole('link', { name: "What's new" })).toHaveCount(0);

  await page.goto('/admin/plugins');
  await expect(page.getByText('The plugin system is turned off')).toBeVisible();
  await expect(page.getByTestId('plugin-card')).toHaveCount(0);
  expect(pluginRequests).toEqual([]);
});

test('with PLUGIN_SYSTEM_ENABLED=false the API lists nothing and serves no plugin files', async ({ page }) => {
  const request = page.request;
  expect((await (await request.get('/api/plugins')).json()).plugins).toEqual([]);
  expect((await (await request.get('/api/workspaces/jaffle-shop-classic/extensions')).json()).extensions).toEqual([]);
  const asset = await request.get('/plugins/sql-tips/0.3.0/frontend/mf-manifest.json');
  expect(asset.status()).toBe(404);
  expect((await asset.json()).error.code).toBe('not_found');
});
