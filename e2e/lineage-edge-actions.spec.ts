import type { Page } from '@playwright/test';
import { expect, inWorkspace, pluginContent, test } from './fixtures.ts';

// Edge actions on the lineage graph: a `lineage.node-action` declared with `target: "edge"` (model-owners' "Copy
// path selector") shows when the user selects an edge, by mouse or keyboard, and gets the edge as data, at both
// UI trust levels.

const PLUGIN = 'model-owners';
const EDGE = 'Dependency from stg_customers to customers';
const SELECTOR = 'stg_customers+,+customers';

async function approve(page: Page): Promise<void> {
  const plugin = await (await page.request.get(`/api/plugins/${PLUGIN}`)).json();
  if (plugin.state !== 'pending-approval') return;
  const response = await page.request.post(`/api/plugins/${PLUGIN}/approve`, { data: { version: plugin.version } });
  expect(response.status()).toBe(200);
}

async function setTrust(page: Page, level: 'isolated' | 'in-page'): Promise<void> {
  const response = await page.request.put(`/api/plugins/${PLUGIN}/ui-trust`, { data: { level } });
  expect(response.status(), await response.text()).toBe(200);
}

async function openCustomers(page: Page): Promise<void> {
  await page.goto(inWorkspace(`lineage?focus=${encodeURIComponent('model.jaffle_shop.customers')}`));
  await expect(page.getByRole('group', { name: EDGE })).toBeAttached();
}

function edgePanel(page: Page) {
  return page.getByTestId('lineage-edge-panel');
}

test('isolated: clicking an edge opens its panel with the edge action, which gets the edge over the bridge', async ({
  page,
}) => {
  await approve(page);
  await setTrust(page, 'isolated');
  await openCustomers(page);

  await page.getByRole('group', { name: EDGE }).click();
  const panel = edgePanel(page);
  await expect(panel.getByRole('heading')).toHaveText('stg_customers → customers');
  await expect(panel).toContainText('the project (dbt)');
  // The edge panel holds only edge actions; the node action stays on nodes.
  const actions = pluginContent(panel.getByTestId('edge-actions'), PLUGIN);
  await expect(actions.getByRole('button', { name: 'Copy ref()' })).toHaveCount(0);
  await actions.getByRole('button', { name: 'Copy path selector' }).click();
  await expect(page.getByTestId('notification')).toContainText(SELECTOR);

  // And a node's panel has no edge action.
  await panel.getByRole('button', { name: 'customers', exact: true }).click();
  await expect(edgePanel(page)).toHaveCount(0);
  const nodeActions = pluginContent(page.getByTestId('node-actions'), PLUGIN);
  await expect(nodeActions.getByRole('button', { name: 'Copy ref()' })).toBeVisible();
  await expect(nodeActions.getByRole('button', { name: 'Copy path selector' })).toHaveCount(0);
});

test('in page: an edge reached with the keyboard is selected with Enter and its action runs', async ({ page }) => {
  await approve(page);
  await setTrust(page, 'in-page');
  try {
    await openCustomers(page);
    await page.getByRole('group', { name: EDGE }).focus();
    await page.keyboard.press('Enter');
    const panel = edgePanel(page);
    await expect(panel.getByRole('heading')).toHaveText('stg_customers → customers');
    const actions = panel.getByTestId('edge-actions');
    await expect(actions.locator('iframe')).toHaveCount(0);
    await actions.getByRole('button', { name: 'Copy path selector' }).click();
    await expect(page.getByTestId('notification')).toContainText(SELECTOR);
    await panel.getByRole('button', { name: 'Close the edge panel' }).click();
    await expect(edgePanel(page)).toHaveCount(0);
  } finally {
    await setTrust(page, 'isolated');
  }
});
