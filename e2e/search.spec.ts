import { expect, inWorkspace, test } from './fixtures.ts';

test('search: every result’s type label stays in its column, clear of the name beside it', async ({ page }) => {
  // jaffle-shop has semantic models and saved queries, the longest type labels.
  await page.goto('/w/jaffle-shop/search?q=customer');
  const hits = page.getByTestId('search-hit');
  await expect(hits.filter({ hasText: 'semantic_model.jaffle_shop.customers' })).toBeVisible();
  const overlaps = await hits.evaluateAll((items) =>
    items.flatMap((item) => {
      const label = item.querySelector('.wb-search-type > *')?.getBoundingClientRect();
      const body = item.querySelector('.wb-search-hit-body')?.getBoundingClientRect();
      if (!label || !body) return [`${item.textContent}: no label or body`];
      return label.right > body.left ? [`${item.textContent}: label ends at ${label.right}, name at ${body.left}`] : [];
    }),
  );
  expect(overlaps).toEqual([]);
});

test('search: / focuses the search box from any page, but not while typing in a field; Ctrl+K opens the palette', async ({
  page,
}) => {
  await page.goto(inWorkspace('models'));
  await expect(page.getByRole('heading', { name: 'Models' })).toBeVisible();

  // Typing "/" in a field types it.
  const filter = page.getByLabel('Filter by text');
  await filter.click();
  await page.keyboard.type('stg/');
  await expect(filter).toHaveValue('stg/');
  await expect(page).toHaveURL(/\/models/);

  // Outside a field, "/" opens search with the box focused.
  await page.getByRole('heading', { name: 'Models' }).click();
  await page.keyboard.press('/');
  await expect(page).toHaveURL(/\/search$/);
  const box = page.getByLabel('Search the catalog');
  await expect(box).toBeFocused();
  await expect(box).toHaveValue('');
  await expect(page.getByTestId('search-shortcut-hint')).toContainText('/');

  // On the search page, "/" brings the focus back to the box and selects what is there.
  await box.fill('orders');
  await page.getByRole('heading', { name: 'Search' }).click();
  await expect(box).not.toBeFocused();
  await page.keyboard.press('/');
  await expect(box).toBeFocused();
  await page.keyboard.type('customers');
  await expect(box).toHaveValue('customers');

  // From the lineage page too.
  await page.goto(inWorkspace('lineage'));
  await expect(page.getByRole('heading', { name: 'Lineage' })).toBeVisible();
  await page.keyboard.press('/');
  await expect(page).toHaveURL(/\/search$/);
  await expect(page.getByLabel('Search the catalog')).toBeFocused();

  // Ctrl+K is the command palette's (tools and catalog search in one box, e2e/palette.spec.ts), on any page.
  await page.keyboard.press('Control+k');
  await expect(page.getByRole('dialog', { name: 'Command palette' })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Search tools and the catalog' })).toBeFocused();
  await expect(page).toHaveURL(/\/search$/);
});
