import { expect, test, WORKSPACE } from './fixtures.ts';

const PLUGIN = 'always-fails';
const REASON = /error rate (9\d|100)% over the last 1 s, budget 50%/;

test('a plugin that fails until its budget trips is disabled automatically: notice, reason, audit entry', async ({
  page,
}) => {
  const callPlugin = (route: 'ok' | 'fail') =>
    page.request.get(`/api/ext/${PLUGIN}/${route}`, { headers: { 'x-workbench-workspace': WORKSPACE } });
  await expect.poll(async () => (await callPlugin('ok')).status(), { timeout: 15_000 }).toBe(200);

  await page.goto('/admin/plugins');
  const card = page.locator(`[data-testid="plugin-card"][data-plugin="${PLUGIN}"]`);
  await expect(card.getByTestId('plugin-state')).toHaveText('active');
  await expect(page.getByTestId('admin-notice')).toHaveCount(0);
  // Survives only as long as the page is not reloaded.
  await page.evaluate(() => Object.assign(window, { budgetTestMarker: true }));

  // Users keep calling the broken route; the open page learns of the automatic disable from the server.
  const notice = page.locator(`[data-testid="admin-notice"][data-plugin="${PLUGIN}"]`);
  await expect
    .poll(
      async () => {
        await callPlugin('fail');
        return notice.count();
      },
      { timeout: 20_000, intervals: [20] },
    )
    .toBe(1);
  await expect(notice).toContainText(`Plugin "${PLUGIN}" was disabled automatically: `);
  await expect(notice).toContainText(REASON);
  expect(await page.evaluate(() => 'budgetTestMarker' in window)).toBe(true);

  await expect(card.getByTestId('plugin-state')).toHaveText('disabled');
  await expect(card.getByTestId('plugin-reason')).toContainText('Disabled automatically: ');
  await expect(card.getByTestId('plugin-reason')).toContainText(REASON);
  expect((await callPlugin('ok')).status()).toBe(404);

  await notice.getByRole('link', { name: 'Open diagnostics' }).click();
  await expect(page).toHaveURL(`/admin/plugins/${PLUGIN}`);
  const budget = page.getByTestId('plugin-budget');
  await expect(budget.getByTestId('budget-standing')).toContainText('Disabled automatically on');
  await expect(budget.locator('[data-figure="errorRate"]')).toContainText('50%');

  await page.goto('/admin/audit');
  const entry = page.locator('[data-testid="audit-entry"][data-action="plugin.auto-disable"]');
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText('system');
  await expect(entry).toContainText(PLUGIN);
  await expect(entry).toContainText(REASON);

  // An admin enables it again: it runs, without the reason, and the notice can be dismissed.
  await page.goto('/admin/plugins');
  await card.getByRole('checkbox', { name: 'Enabled by default in every workspace' }).click();
  await expect(card.getByTestId('plugin-state')).toHaveText('active');
  await expect(card.getByTestId('plugin-reason')).toHaveCount(0);
  await expect.poll(async () => (await callPlugin('ok')).status(), { timeout: 15_000 }).toBe(200);
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByTestId('admin-notice')).toHaveCount(0);
});
