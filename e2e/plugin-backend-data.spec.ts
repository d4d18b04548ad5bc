// What plugin backends add to pages, as a user sees it: plugins/run-triggers lists its triggers on the Schedules
// page with its name and starts a run from its deploy webhook; plugins/bi-exposures draws dashboards on the lineage
// graph. Both are installed through the public path (packed zips) and approved, then removed.
import path from 'node:path';
import type { PluginTriggerList } from '../shared/plugin-triggers.schema.ts';
import { ADMIN, expect, inWorkspace, signInAs, test, WORKSPACE } from './fixtures.ts';
import { installPackages } from './plugin-packages.ts';

const root = path.resolve(import.meta.dirname, '..');
const PLUGINS = ['run-triggers', 'bi-exposures'];

test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  await signInAs(page, ADMIN.username, ADMIN.password);
  await installPackages(
    page.request,
    PLUGINS.map((name) => path.join(root, 'plugins', name)),
  );
  await page.close();
});

test.afterAll(async ({ browser }) => {
  const page = await browser.newPage();
  await signInAs(page, ADMIN.username, ADMIN.password);
  for (const name of PLUGINS) await page.request.delete(`/api/plugins/${name}`);
  await page.close();
});

test("the Schedules page lists a plugin's triggers with the plugin named; its webhook starts a run", async ({
  page,
}) => {
  await page.goto(inWorkspace('schedules'));
  const triggers = page.getByTestId('plugin-triggers');
  const deploy = triggers.getByTestId('plugin-trigger-row').filter({ hasText: 'Deploy webhook' });
  await expect(deploy).toContainText('run-triggers');
  await expect(deploy).toContainText('when its webhook is called');
  await expect(deploy).toContainText('none yet');

  const list = (await (
    await page.request.get(`/api/workspaces/${WORKSPACE}/schedules/triggers`)
  ).json()) as PluginTriggerList;
  const webhook = list.triggers.find((t) => t.name === 'deploy')!.webhook!;
  await deploy.getByText('Webhook URL and token').click();
  await expect(deploy.locator('pre')).toContainText(webhook.token);

  const called = await page.request.post(webhook.url, {
    headers: { 'x-workbench-trigger-token': webhook.token },
    data: { ref: 'refs/heads/main' },
  });
  expect(called.status(), await called.text()).toBe(202);
  const { runId } = (await called.json()) as { runId: string };
  await page.reload();
  await expect(deploy.getByRole('link')).toContainText('deploy of main');
  await deploy.getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`/runs/${runId}$`));
  await expect(page.locator('body')).toContainText('trigger “deploy” of run-triggers');
});

test("a plugin's dashboards are drawn on the lineage graph and picked by selectors", async ({ page }) => {
  await page.goto(inWorkspace(`lineage?select=${encodeURIComponent('customers+')}`));
  await expect(page.locator('body')).toContainText('revenue_dashboard');
  await expect(page.locator('body')).toContainText('customer_churn');
  await page.getByTestId('lineage-node').filter({ hasText: 'revenue_dashboard' }).click();
  const panel = page.getByTestId('lineage-panel');
  await expect(panel).toContainText('Added by');
  await expect(panel).toContainText('the plugin bi-exposures');
  await expect(panel.getByRole('link', { name: /details/ })).toHaveCount(0);
  await page.goto(inWorkspace(`lineage?select=${encodeURIComponent('tag:bi')}`));
  await expect(page.locator('body')).toContainText('2 nodes');
});
