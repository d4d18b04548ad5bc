import type { APIRequestContext } from '@playwright/test';
import { expect, test, WORKSPACE } from './fixtures.ts';

// The fixture plugin `log-writer` (e2e/fixtures/plugins/log-writer) has a backend that writes through host.log,
// stdout and stderr; `POST /api/ext/log-writer/log` writes one line.
const PLUGIN = 'log-writer';

async function writeLine(request: APIRequestContext, level: 'info' | 'warn' | 'error', message: string) {
  return request.post(`/api/ext/${PLUGIN}/log`, {
    headers: { 'x-workbench-workspace': WORKSPACE },
    data: { level, message },
  });
}

/** Approves the plugin's capability as an admin would, and waits for its backend to answer. */
async function ready(request: APIRequestContext): Promise<void> {
  const plugin = await (await request.get(`/api/plugins/${PLUGIN}`)).json();
  if (plugin.state === 'pending-approval') {
    const response = await request.post(`/api/plugins/${PLUGIN}/approve`, { data: { version: plugin.version } });
    expect(response.status()).toBe(200);
  }
  await expect
    .poll(async () => (await writeLine(request, 'info', 'warming up')).status(), { timeout: 15_000 })
    .toBe(200);
}

test("a plugin's log shows its backend's lines, filters them by level, and follows new ones live", async ({ page }) => {
  await ready(page.request);
  expect((await writeLine(page.request, 'error', 'e2e: the disk is full')).status()).toBe(200);

  await page.goto(`/admin/plugins/${PLUGIN}`);
  const logs = page.getByTestId('plugin-logs');
  const rows = logs.getByTestId('plugin-log-line');
  // The newest of each: a backend started again (another test's change to the shared server) logs its start again.
  const newest = (text: string) => rows.filter({ hasText: text }).first();
  await expect(newest('log-writer says hello on stdout')).toHaveAttribute('data-source', 'stdout');
  await expect(newest('log-writer complains on stderr')).toHaveAttribute('data-level', 'warn');
  await expect(newest('discovered (version 1.0.0)')).toHaveAttribute('data-source', 'lifecycle');
  await expect(newest('log-writer is ready')).toContainText('"routes":["/log","/flood"]');

  await logs.getByTestId('plugin-logs-level').selectOption({ label: 'Errors' });
  await expect(rows.filter({ hasText: 'log-writer says hello on stdout' })).toHaveCount(0);
  await expect(rows.filter({ hasText: 'e2e: the disk is full' })).toHaveAttribute('data-level', 'error');
  for (const level of await rows.evaluateAll((all) => all.map((row) => row.getAttribute('data-level'))))
    expect(level).toBe('error');

  await logs.getByTestId('plugin-logs-search').fill('disk is');
  await expect(rows).toHaveCount(1);
  await logs.getByTestId('plugin-logs-search').fill('');
  await logs.getByTestId('plugin-logs-level').selectOption({ label: 'All levels' });
  await expect(newest('log-writer says hello on stdout')).toBeVisible();

  // A line written now arrives without a reload, on top: the page follows the stream. Refetches of the list are
  // refused from here on (another spec's change to the shared server may cause one), so only the stream can bring it.
  await expect(logs.getByTestId('plugin-logs-live')).toBeChecked();
  await page.route(new RegExp(`/api/plugins/${PLUGIN}/logs\\?`), (route) => route.abort());
  const message = `e2e: live line ${Date.now()}`;
  expect((await writeLine(page.request, 'warn', message)).status()).toBe(200);
  await expect(rows.first()).toContainText(message);
  await expect(rows.first()).toHaveAttribute('data-level', 'warn');
});
