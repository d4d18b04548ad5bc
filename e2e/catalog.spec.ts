import { expect, inWorkspace, test } from './fixtures.ts';

// Other specs may run the demo project, which rewrites run_results.json: statuses are checked for shape, not value.
const testStatus = /^(pass|fail|warn|error|skipped|not-run)$/;

test('models: filter the list, open a model and see its columns with types and test statuses', async ({ page }) => {
  await page.goto(inWorkspace());
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Models' }).click();
  await expect(page.getByRole('heading', { name: 'Models' })).toBeVisible();
  await expect(page.getByTestId('model-row').first()).toBeVisible();
  const all = await page.getByTestId('model-row').count();
  expect(all).toBeGreaterThan(30);

  await page.getByLabel('Filter by text').fill('stg_');
  await expect(page).toHaveURL(/[?&]q=stg_/);
  await expect(page.getByTestId('model-row')).toHaveCount(3);
  await expect(page.getByTestId('model-row').first()).toContainText('stg_customers');

  await page.getByLabel('Filter by text').fill('');
  await page.getByLabel('Tag').selectOption('lightdash');
  await expect(page.getByTestId('model-row')).toHaveCount(2);
  await page.getByRole('link', { name: 'customers', exact: true }).click();

  await expect(page).toHaveURL(/\/models\/model\.jaffle_shop\.customers$/);
  await expect(page.getByRole('heading', { name: 'customers', level: 1 })).toBeVisible();
  const idColumn = page.locator('[data-testid="column-row"][data-column="customer_id"]');
  await expect(idColumn).toContainText('INT64');
  await expect(idColumn).toContainText('This is a unique identifier for a customer');
  const badge = idColumn.getByTestId('test-badge').filter({ hasText: 'unique' });
  await expect(badge).toBeVisible();
  expect(await badge.getAttribute('data-status')).toMatch(testStatus);
  await expect(page.getByTestId('test-row')).toHaveCount(2);

  await page.getByRole('button', { name: 'Raw' }).click();
  await expect(page.getByTestId('sql-block')).toContainText("ref('stg_customers')");
  await page.getByRole('link', { name: 'stg_orders' }).click();
  await expect(page.getByRole('heading', { name: 'stg_orders', level: 1 })).toBeVisible();
});

test('search: a column name finds its models; the keyboard opens a hit', async ({ page }) => {
  await page.goto(inWorkspace('search'));
  const box = page.getByLabel('Search the catalog');
  await box.fill('credit_card_amount');
  const hits = page.getByTestId('search-hit');
  await expect(hits.first()).toBeVisible();
  const orders = hits.filter({ hasText: 'model.jaffle_shop.orders' });
  await expect(orders).toContainText('matched column credit_card_amount');

  await expect(page).toHaveURL(/[?&]q=credit_card_amount/);
  const index = await hits.evaluateAll((items) =>
    items.findIndex((item) => item.textContent?.includes('model.jaffle_shop.orders')),
  );
  for (let i = 0; i < index; i++) await box.press('ArrowDown');
  await expect(orders).toHaveAttribute('aria-selected', 'true');
  await box.press('Enter');
  await expect(page).toHaveURL(/\/models\/model\.jaffle_shop\.orders$/);
  await expect(page.locator('[data-testid="column-row"][data-column="credit_card_amount"]')).toBeVisible();
});

test('an unknown model says it is not in the project', async ({ page }) => {
  await page.goto(inWorkspace('models/model.jaffle_shop.nope'));
  await expect(page.getByTestId('node-not-found')).toContainText('model.jaffle_shop.nope');
});

test('a model page keeps a long unbreakable column description inside the main column', async ({ page }) => {
  // The real answer for customers, with one column description no browser can break at a space.
  const long = `customer_${'x'.repeat(400)}`;
  await page.route('**/api/workspaces/*/nodes/model.jaffle_shop.customers', async (route) => {
    const response = await route.fetch();
    const node = (await response.json()) as { columns: { name: string; description: string | null }[] };
    node.columns[0]!.description = long;
    await route.fulfill({ response, json: node });
  });
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(inWorkspace('models/model.jaffle_shop.customers'));
  await expect(page.getByRole('cell', { name: long })).toBeVisible();

  const box = async (selector: string) => {
    const found = await page.locator(selector).first().boundingBox();
    if (!found) throw new Error(`${selector} is not on the page`);
    return found;
  };
  const main = await box('.wb-cat-main');
  const side = await box('.wb-cat-side');
  const table = await box('table[aria-label="Columns"]');
  expect(main.x + main.width).toBeLessThanOrEqual(side.x);
  expect(table.x + table.width).toBeLessThanOrEqual(main.x + main.width + 0.5);
  // Nothing runs past the window either.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1400);
});
