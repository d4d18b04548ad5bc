import { expect, inWorkspace, test } from './fixtures.ts';

test('SQL slots: a template fills the editor, a control runs a preview, a panel charts the result', async ({
  page,
}) => {
  await page.goto(inWorkspace('sql'));
  const templates = page.getByTestId('sql-templates');
  await expect(templates).toContainText('Orders by status');
  await templates.getByRole('button', { name: 'Orders by status' }).click();
  await expect(page.getByLabel('SQL editor')).toContainText('group by status');

  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const chart = page.locator('[data-testid="slot-sql.panel"][data-plugin="sql-toolkit"]');
  await expect(chart.getByTestId('sql-chart')).toContainText('orders by status');
  await expect(chart.getByTestId('sql-chart')).toContainText('completed');

  await page.getByRole('button', { name: 'Preview 10 rows' }).click();
  await expect(page.getByLabel('SQL editor')).toContainText('as preview limit 10');
  await expect(page.getByText(/\d+ rows/).first()).toBeVisible();
});
