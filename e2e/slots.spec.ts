import { expect, inWorkspace, pluginContent, test } from './fixtures.ts';

test('SQL slots: a template fills the editor, a control runs a preview, a panel charts the result', async ({
  page,
}) => {
  await page.goto(inWorkspace('sql'));
  const templates = page.getByTestId('sql-templates');
  await expect(templates).toContainText('Orders by status');
  await templates.getByRole('button', { name: 'Orders by status' }).click();
  await expect(page.getByLabel('SQL editor')).toContainText('group by status');

  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const chart = pluginContent(page.locator('[data-testid="slot-sql.panel"][data-plugin="sql-toolkit"]'), 'sql-toolkit');
  await expect(chart.getByTestId('sql-chart')).toContainText('orders by status');
  await expect(chart.getByTestId('sql-chart')).toContainText('completed');

  // The toolbar control is the plugin's too: its click reaches the editor and the run through the slot's callbacks.
  const control = pluginContent(page.locator('.wb-sql-toolbar'), 'sql-toolkit');
  await control.getByRole('button', { name: 'Preview 10 rows' }).click();
  await expect(page.getByLabel('SQL editor')).toContainText('as preview limit 10');
  await expect(page.getByText(/\d+ rows/).first()).toBeVisible();
});

/** Approves the two example plugins that read metadata, as an admin would after reviewing them. */
async function approveExamples(page: import('@playwright/test').Page): Promise<void> {
  for (const name of ['data-quality', 'model-owners']) {
    const plugin = await (await page.request.get(`/api/plugins/${name}`)).json();
    if (plugin.state === 'pending-approval') {
      const response = await page.request.post(`/api/plugins/${name}/approve`, { data: { version: plugin.version } });
      expect(response.status()).toBe(200);
    }
  }
}

test('model page slots: a quality panel gets the model, an ownership widget sits beside it', async ({ page }) => {
  await approveExamples(page);
  await page.goto(inWorkspace('models/model.jaffle_shop.customers'));
  const panel = page.locator('[data-testid="slot-model.panel"][data-plugin="data-quality"]');
  await expect(pluginContent(panel, 'data-quality').getByTestId('quality-panel')).toContainText(
    /% of \d+ tests pass|No tests yet/,
  );
  await expect(panel).toContainText('Data quality');
  // The widget sits low in the side column: like every contribution it loads once the user scrolls it into view.
  const widget = page.locator('[data-testid="slot-page.widget"][data-plugin="model-owners"]');
  await widget.scrollIntoViewIfNeeded();
  await expect(pluginContent(widget, 'model-owners').getByTestId('ownership')).toContainText('customers');
});

test('source page slot: the source panel gets the source', async ({ page }) => {
  await approveExamples(page);
  // The classic project has no sources; the new jaffle shop has six.
  const sources = await (await page.request.get('/api/workspaces/jaffle-shop/models?resourceType=source')).json();
  await page.goto(`/w/jaffle-shop/sources/${encodeURIComponent(sources.items[0].uniqueId)}`);
  const panel = page.locator('[data-testid="slot-source.panel"][data-plugin="data-quality"]');
  await expect(pluginContent(panel, 'data-quality').getByTestId('quality-panel')).toBeVisible();
});

test('lineage slots: owner badges sit on the graph and a node action copies its ref()', async ({ page }) => {
  await approveExamples(page);
  await page.goto(inWorkspace(`lineage?focus=${encodeURIComponent('model.jaffle_shop.customers')}`));
  const overlay = pluginContent(page.getByTestId('lineage-canvas'), 'model-owners');
  await expect(overlay.getByTestId('owner-badge').first()).toBeVisible();
  const badges = await overlay.getByTestId('owner-badge').count();
  expect(badges).toBeGreaterThan(2);

  await page.locator('.react-flow__node').filter({ hasText: 'customers' }).first().click();
  await pluginContent(page.getByTestId('node-actions'), 'model-owners')
    .getByRole('button', { name: 'Copy ref()' })
    .click();
  await expect(page.getByTestId('notification')).toContainText("ref('customers')");
});

test('dashboard and run slots: failing models and a run compared with recent ones', async ({ page }) => {
  await approveExamples(page);
  await page.goto(inWorkspace());
  const failing = page.locator('[data-testid="slot-dashboard.widget"][data-plugin="data-quality"]');
  await expect(pluginContent(failing, 'data-quality').getByTestId('failing-models')).toBeVisible();

  // Two runs, so the second has one to be compared with (the server runs in its own copy of the workspace).
  let run = { id: '', status: '' };
  for (let i = 0; i < 2; i++) {
    run = await (await page.request.post('/api/workspaces/jaffle-shop-classic/runs', { data: {} })).json();
    await expect
      .poll(
        async () =>
          (await (await page.request.get(`/api/workspaces/jaffle-shop-classic/runs/${run.id}`)).json()).status,
        {
          timeout: 20_000,
        },
      )
      .toBe('success');
  }
  await page.goto(inWorkspace(`runs/${run.id}`));
  const comparison = page.locator('[data-testid="slot-page.widget"][data-plugin="data-quality"]');
  await expect(comparison).toContainText(/Compared with recent runs/i);
  await expect(pluginContent(comparison, 'data-quality').getByTestId('run-comparison')).toContainText(
    /median of the last \d+ successful run/,
  );
});

test("page slot: the dashboard widget opens the plugin's routed page, which has no tab", async ({ page }) => {
  await approveExamples(page);
  await page.goto(inWorkspace());
  await expect(page.getByRole('link', { name: 'Quality report' })).toHaveCount(0);
  const widget = page.locator('[data-testid="slot-dashboard.widget"][data-plugin="data-quality"]');
  await pluginContent(widget, 'data-quality').getByRole('button', { name: 'Full quality report →' }).click();
  await expect(page).toHaveURL(/\/ext\/quality-report$/);
  const report = pluginContent(page, 'data-quality');
  await expect(report.getByRole('heading', { name: 'Quality report' })).toBeVisible();
  await expect(report.getByTestId('quality-report')).toBeVisible();
});

test("configuration: an admin's change reaches an open model page without a reload", async ({ page, context }) => {
  await approveExamples(page);
  await page.goto(inWorkspace('models/model.jaffle_shop.customers'));
  const panel = pluginContent(
    page.locator('[data-testid="slot-model.panel"][data-plugin="data-quality"]'),
    'data-quality',
  ).getByTestId('quality-panel');
  await expect(panel).toContainText('Undocumented: customer_lifetime_value');
  await page.evaluate(() => Object.assign(window, { __sameDocument: true }));

  const admin = await context.newPage();
  await admin.goto('/admin/plugins');
  const card = admin.locator('[data-testid="plugin-card"][data-plugin="data-quality"]');
  await card.getByText('Configure').click();
  const form = card.getByTestId('config-form');
  await form.getByLabel('Flag undocumented columns').uncheck();
  await form.getByRole('button', { name: 'Save configuration' }).click();
  await expect(form.getByRole('button', { name: 'Save configuration' })).toBeDisabled();

  await expect(panel).not.toContainText('Undocumented');
  await expect(panel).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);

  // The form knows the schema's bounds: an out-of-range value is not sent (the server refuses it too).
  const rate = form.getByLabel('Minimum pass rate (%)');
  await rate.fill('150');
  await form.getByRole('button', { name: 'Save configuration' }).click();
  expect(await rate.evaluate((input) => (input as HTMLInputElement).validity.rangeOverflow)).toBe(true);

  await form.getByLabel('Flag undocumented columns').check();
  await form.getByLabel('Minimum pass rate (%)').fill('90');
  await form.getByRole('button', { name: 'Save configuration' }).click();
  await expect(panel).toContainText('Undocumented: customer_lifetime_value');
});
