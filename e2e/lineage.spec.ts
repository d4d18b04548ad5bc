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

type Box = { x: number; y: number; width: number; height: number };
const intersects = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const inside = (inner: Box, outer: Box) =>
  inner.x >= outer.x - 0.5 &&
  inner.y >= outer.y - 0.5 &&
  inner.x + inner.width <= outer.x + outer.width + 0.5 &&
  inner.y + inner.height <= outer.y + outer.height + 0.5;

async function boxesOfNodes(page: import('@playwright/test').Page): Promise<Record<string, Box>> {
  return page.getByTestId('lineage-node').evaluateAll((cards) =>
    Object.fromEntries(
      cards.map((card) => {
        const r = card.getBoundingClientRect();
        return [card.getAttribute('data-node-id') ?? '', { x: r.x, y: r.y, width: r.width, height: r.height }];
      }),
    ),
  );
}

test('lineage: the minimap sits beside the canvas and covers no node; it can be switched off', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(inWorkspace('lineage'));
  await expect(page.getByTestId('lineage-summary')).toContainText('in the whole project');
  await expect(page.getByTestId('lineage-node').first()).toBeVisible();

  const toggle = page.getByRole('checkbox', { name: 'Minimap' });
  if (!(await toggle.isChecked())) await toggle.check();
  const map = page.getByTestId('lineage-map');
  await expect(map.locator('svg')).toBeVisible();
  const mapBox = (await map.boundingBox())!;
  const canvasBox = (await page.getByTestId('lineage-canvas').boundingBox())!;
  expect(intersects(mapBox, canvasBox)).toBe(false);
  const covered = Object.entries(await boxesOfNodes(page)).filter(([, box]) => intersects(box, mapBox));
  expect(covered).toEqual([]);

  await toggle.uncheck();
  await expect(map).toHaveCount(0);
  // The choice is kept for the next visit.
  await page.reload();
  await expect(page.getByTestId('lineage-node').first()).toBeVisible();
  await expect(page.getByRole('checkbox', { name: 'Minimap' })).not.toBeChecked();
});

test('lineage: after a focus the node panel is beside the graph, and the downstream nodes are in view', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(inWorkspace('lineage'));
  await expect(page.getByTestId('lineage-summary')).toContainText('in the whole project');
  const stg = page.locator(node('model.jaffle_shop.stg_orders'));
  await stg.click();
  await page.getByTestId('lineage-panel').getByRole('button', { name: 'Focus here' }).click();
  await expect(page.getByTestId('lineage-summary')).toContainText('around stg_orders');
  await expect(page.locator(node('model.jaffle_shop.stg_orders'))).toHaveClass(/is-focus/);

  const panel = (await page.getByTestId('lineage-panel').boundingBox())!;
  const canvas = (await page.getByTestId('lineage-canvas').boundingBox())!;
  expect(intersects(panel, canvas)).toBe(false);
  // Two levels down from stg_orders: orders and customers, drawn whole inside the canvas, none under the panel.
  await expect(page.locator(node('model.jaffle_shop.customers'))).toBeVisible();
  const boxes = await boxesOfNodes(page);
  for (const id of ['model.jaffle_shop.stg_orders', 'model.jaffle_shop.orders', 'model.jaffle_shop.customers']) {
    expect(boxes[id], id).toBeDefined();
    expect(inside(boxes[id]!, canvas), `${id} is inside the canvas`).toBe(true);
    expect(intersects(boxes[id]!, panel), `${id} is clear of the panel`).toBe(false);
  }
});

test('lineage: opening the panel on a fitted focus view refits it into the space left, all nodes in view', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(inWorkspace('lineage?focus=model.jaffle_shop.stg_orders'));
  await expect(page.getByTestId('lineage-summary')).toContainText('around stg_orders');
  await page.locator(node('model.jaffle_shop.stg_orders')).click();
  const panel = page.getByTestId('lineage-panel');
  await expect(panel).toBeVisible();
  const canvas = (await page.getByTestId('lineage-canvas').boundingBox())!;
  const panelBox = (await panel.boundingBox())!;
  // Every node of the view, downstream ones included, is whole inside the narrowed canvas.
  await expect
    .poll(async () =>
      Object.entries(await boxesOfNodes(page))
        .filter(([, box]) => !inside(box, canvas) || intersects(box, panelBox))
        .map(([id]) => id),
    )
    .toEqual([]);
  expect(Object.keys(await boxesOfNodes(page))).toContain('model.jaffle_shop.orders');
});
