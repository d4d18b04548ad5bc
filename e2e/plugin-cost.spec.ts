import { expect, inWorkspace, test } from './fixtures.ts';

// The fixture server samples every 10 s (the default): the figures of a visit show within one interval.

test("a plugin's cost over time is charted on its diagnostics page; its health shows there and on its card", async ({
  page,
}) => {
  test.setTimeout(60_000);
  await page.goto(inWorkspace());
  await expect(page.locator('[data-testid="plugin-error"][data-plugin="broken-widget"]')).toBeVisible();
  // Leaving the dashboard sends what it saw: the widget threw while rendering.
  await page.goto('/admin/plugins/broken-widget');

  const cost = page.getByRole('region', { name: 'Cost over time' });
  await expect(cost.getByTestId('cost-charts')).toBeVisible({ timeout: 20_000 });
  // A UI-only plugin: what browsers saw, no backend charts.
  await expect(cost.getByTestId('cost-chart')).toHaveText([
    /Module load time in browsers/,
    /Loads and errors in browsers/,
  ]);
  await expect(cost.getByRole('img', { name: 'Loads and errors in browsers' })).toBeVisible();

  const health = page.getByTestId('plugin-diagnostics').getByTestId('plugin-health').first();
  await expect(health).toHaveAttribute('data-level', 'degraded', { timeout: 25_000 });
  await expect(health).toContainText(/Degraded\s*\d+ load or render errors? in browsers in the last 5 min/);
  // The interval with the failure, as its hover title tells it.
  const failures = cost.getByRole('img', { name: 'Loads and errors in browsers' }).locator('title');
  await expect(failures.filter({ hasText: /errors: [1-9]/ }).first()).toBeAttached();

  await page.goto('/admin/plugins');
  const card = page.locator('[data-testid="plugin-card"][data-plugin="broken-widget"]');
  await expect(card.getByTestId('plugin-health')).toHaveAttribute('data-level', 'degraded');
  await expect(card.getByTestId('plugin-health')).toContainText('in browsers in the last 5 min');
  // A plugin nobody may run yet is off, with why.
  const pending = page.locator('[data-testid="plugin-card"][data-plugin="needs-approval"]');
  await expect(pending.getByTestId('plugin-health')).toContainText(/Off\s*Waiting for an admin/);
});
