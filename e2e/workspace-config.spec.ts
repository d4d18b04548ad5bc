import { expect, inWorkspace, pluginContent, test } from './fixtures.ts';

const OTHER = 'jaffle-shop';
const overrideUrl = (workspace: string) => `/api/plugins/data-quality/config/workspaces/${workspace}`;

test("a workspace's configuration reaches its open pages without a reload; another workspace is unchanged", async ({
  page,
  context,
}) => {
  const plugin = await (await page.request.get('/api/plugins/data-quality')).json();
  if (plugin.state === 'pending-approval')
    expect(
      (await page.request.post('/api/plugins/data-quality/approve', { data: { version: plugin.version } })).status(),
    ).toBe(200);
  for (const workspace of ['jaffle-shop-classic', OTHER]) await page.request.delete(overrideUrl(workspace));

  const qualityPanel = (p: typeof page) =>
    pluginContent(
      p.locator('[data-testid="slot-model.panel"][data-plugin="data-quality"]'),
      'data-quality',
    ).getByTestId('quality-panel');
  await page.goto(inWorkspace('models/model.jaffle_shop.customers'));
  const panel = qualityPanel(page);
  await expect(panel).toContainText('Undocumented: customer_lifetime_value');
  await page.evaluate(() => Object.assign(window, { __sameDocument: true }));

  const other = await context.newPage();
  await other.goto(`/w/${OTHER}/models/model.jaffle_shop.customers`);
  const otherPanel = qualityPanel(other);
  await expect(otherPanel).toBeVisible();
  const otherBefore = (await otherPanel.textContent()) ?? '';

  const admin = await context.newPage();
  await admin.goto('/admin/plugins');
  const card = admin.locator('[data-testid="plugin-card"][data-plugin="data-quality"]');
  await card.getByText('Configure').click();
  await card.getByLabel('Configuration scope').selectOption({ label: 'Jaffle Shop (classic)' });
  const form = card.getByTestId('config-form');
  await expect(form).toContainText('uses the global configuration');
  await form.getByLabel('Flag undocumented columns').uncheck();
  await form.getByRole('button', { name: 'Save for Jaffle Shop (classic)' }).click();
  await expect(form.locator('[data-overridden]')).toContainText('Overrides the global value');

  // Pushed over /api/events: the open page renders the new configuration in the same document.
  await expect(panel).not.toContainText('Undocumented');
  await expect(panel).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);

  // The other workspace keeps the global configuration, on its open page and in its extensions.
  await expect(otherPanel).toHaveText(otherBefore);
  const extensions = (await (await page.request.get(`/api/workspaces/${OTHER}/extensions`)).json()).extensions as {
    plugin: string;
    pluginConfig: { flagUndocumented?: boolean };
  }[];
  expect(extensions.find((e) => e.plugin === 'data-quality')?.pluginConfig.flagUndocumented).toBe(true);
  await admin.screenshot({ path: '/tmp/h4b-workspace-config-form.png', fullPage: true });

  // Reset to the global value: the workspace follows the global configuration again, still without a reload.
  await form.getByRole('button', { name: 'Reset to the global value' }).click();
  await expect(form).toContainText('uses the global configuration');
  await expect(panel).toContainText('Undocumented: customer_lifetime_value');
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
});
