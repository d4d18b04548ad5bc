import { expect, inWorkspace, test } from './fixtures.ts';

const node = (id: string) => `[data-testid="lineage-node"][data-node-id="${id}"]`;

test('lineage: a model’s upstream is drawn; clicking a node opens its panel and focuses on it', async ({ page }) => {
  await page.goto(inWorkspace('lineage?focus=model.jaffle_shop.customers&down=0'));
  await expect(page.getByRole('heading', { name: 'Lineage' })).toBeVisible();
  await expect(page.getByTestId('lineage-summary')).toContainText('7 nodes, 6 edges around customers');

  // customers, its three staging models and the three seeds they read, with the edges between them.
  const nodes = page.getByTestId('lineage-node');
  await expect(nodes).toHaveCount(7);
  for (const id of [
    'model.jaffle_shop.customers',
    'model.jaffle_shop.stg_orders',
    'model.jaffle_shop.stg_payments',
    'seed.jaffle_shop.raw_customers',
  ]) {
    await expect(page.locator(node(id))).toBeVisible();
  }
  await expect(page.locator('.react-flow__edge')).toHaveCount(6);
  await expect(page.locator(node('model.jaffle_shop.customers'))).toHaveClass(/is-focus/);
  // Laid out left to right: a seed is left of its staging model, which is left of customers.
  const x = async (id: string) => (await page.locator(node(id)).boundingBox())?.x ?? NaN;
  expect(await x('seed.jaffle_shop.raw_orders')).toBeLessThan(await x('model.jaffle_shop.stg_orders'));
  expect(await x('model.jaffle_shop.stg_orders')).toBeLessThan(await x('model.jaffle_shop.customers'));

  await page.locator(node('model.jaffle_shop.stg_orders')).click();
  const panel = page.getByTestId('lineage-panel');
  await expect(panel.getByRole('heading', { name: 'stg_orders' })).toBeVisible();
  await expect(panel).toContainText('3 tests');
  await expect(panel.getByRole('link', { name: /details/ })).toHaveAttribute(
    'href',
    '/w/jaffle-shop-classic/models/model.jaffle_shop.stg_orders',
  );

  await panel.getByRole('button', { name: 'Focus here' }).click();
  await expect(page).toHaveURL(/focus=model\.jaffle_shop\.stg_orders/);
  await expect(page.getByTestId('lineage-summary')).toContainText('around stg_orders');
  // Two levels up and none down: stg_orders and the seed it reads.
  await expect(nodes).toHaveCount(2);
  await expect(page.locator(node('model.jaffle_shop.stg_orders'))).toHaveClass(/is-focus/);

  await panel.getByRole('button', { name: 'More downstream (1)' }).click();
  await expect(page.locator(node('model.jaffle_shop.orders'))).toBeVisible();
  await expect(nodes).toHaveCount(4);
});

test('lineage: the selector box selects with dbt syntax and names a bad selector', async ({ page }) => {
  await page.goto(inWorkspace());
  await page.getByRole('link', { name: 'Lineage', exact: true }).click();
  await expect(page.getByTestId('lineage-summary')).toContainText('in the whole project');

  const selector = page.getByLabel('Selector');
  await selector.fill('orders+');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByTestId('lineage-node')).toHaveCount(2);
  await expect(page.getByTestId('lineage-summary')).toContainText('selected by orders+');

  await selector.fill('+orders colour:red');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('alert')).toContainText('Selector "colour:red" is not valid');
  // The last good graph stays on screen.
  await expect(page.getByTestId('lineage-node')).toHaveCount(2);
});
