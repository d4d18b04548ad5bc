// The command palette (issue 17 item 3) against the real server, with the example tool plugin model-stewards
// installed through the public path (packed with the CLI, uploaded, approved by the admin).
import path from 'node:path';
import { expect, inWorkspace, test, WORKSPACE } from './fixtures.ts';
import { installPackages } from './plugin-packages.ts';

const stewards = path.resolve(import.meta.dirname, '..', 'plugins', 'model-stewards');

test.beforeEach(async ({ page }) => {
  await installPackages(page.request, [stewards]);
  // Its tools are listed once its backend serves them.
  await expect
    .poll(
      async () => ((await (await page.request.get('/api/plugins/model-stewards')).json()) as { state: string }).state,
    )
    .toBe('active');
});

test('palette: Ctrl+K finds a plugin tool; its form refuses a bad value as you type, a change asks first, the call is audited', async ({
  page,
}) => {
  const called: string[] = [];
  page.on('request', (r) => r.method() === 'POST' && r.url().includes('/tools/') && called.push(r.url()));

  await page.goto(inWorkspace('models'));
  const filter = page.getByLabel('Filter by text');
  await filter.click();

  // Ctrl+K works from inside a field (it types nothing) and opens one box for tools and the catalog.
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  const box = palette.getByRole('combobox', { name: 'Search tools and the catalog' });
  await expect(box).toBeFocused();
  await page.keyboard.type('steward');
  const tools = palette.getByTestId('palette-tool');
  await expect(tools).toHaveCount(2);
  await expect(tools.first()).toContainText('Steward of a model');
  await expect(tools.first().getByTestId('palette-tool-plugin')).toHaveText('Model stewards');
  await expect(tools.nth(1)).toContainText('Assign a steward');
  await expect(tools.nth(1)).toContainText('changes');

  // The keyboard chooses: ↓ then Enter opens the second tool's form, its first field focused.
  await page.keyboard.press('ArrowDown');
  await expect(tools.nth(1)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  const panel = palette.getByTestId('tool-panel');
  await expect(panel.getByRole('heading', { name: 'Assign a steward' })).toBeVisible();
  await expect(panel.getByTestId('tool-origin')).toContainText('From the plugin Model stewards 1.0.0');
  await expect(panel.getByTestId('tool-origin')).toContainText('Changes something');
  const model = panel.getByRole('textbox', { name: /^Model/ });
  const steward = panel.getByRole('textbox', { name: /^Steward/ });
  await expect(model).toBeFocused();

  // A bad value: longer than the schema's maxLength of 100. The field says so as it is typed; Run sends nothing.
  await model.fill('model.jaffle_shop.orders');
  await steward.fill('x'.repeat(101));
  await expect(steward).toHaveAttribute('aria-invalid', 'true');
  await expect(panel.locator('[data-field-error="steward"]')).toContainText('100');
  await panel.getByRole('button', { name: 'Run…' }).click();
  await expect(steward).toBeFocused();
  await expect(panel.getByRole('button', { name: 'Yes, run it' })).toHaveCount(0);

  // A good value clears the error; a tool that changes something asks first, and Escape takes the question back.
  await steward.fill('data-team');
  await expect(steward).not.toHaveAttribute('aria-invalid', 'true');
  await expect(panel.locator('[data-field-error]')).toHaveCount(0);
  await panel.getByRole('button', { name: 'Run…' }).click();
  const yes = panel.getByRole('button', { name: 'Yes, run it' });
  await expect(
    panel.getByRole('group', { name: /Assign a steward changes something in this workspace/ }),
  ).toBeVisible();
  await expect(yes).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(yes).toHaveCount(0);
  await expect(panel).toBeVisible();
  expect(called).toEqual([]);

  await panel.getByRole('button', { name: 'Run…' }).click();
  await yes.click();
  const result = panel.getByTestId('tool-result');
  await expect(result).toContainText('"steward": "data-team"');
  await expect(result).toContainText('"assignedBy": "admin"');
  expect(called).toHaveLength(1);

  // Escape goes back to the list; the reading tool sees the change.
  await page.keyboard.press('Escape');
  await expect(box).toBeFocused();
  await box.fill('steward of');
  await page.keyboard.press('Enter');
  await panel.getByRole('textbox', { name: /^Model/ }).fill('model.jaffle_shop.orders');
  await page.keyboard.press('Enter');
  await expect(panel.getByTestId('tool-result')).toContainText('"steward": "data-team"');

  // Escape twice closes the palette and gives the focus back to the field that had it.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await expect(palette).toBeHidden();
  await expect(filter).toBeFocused();

  // Both calls are in the audit log, by the admin, in this workspace.
  await page.goto('/admin/audit');
  const entries = page.locator('[data-testid="audit-entry"][data-action="tool.call"]');
  await expect(entries.filter({ hasText: 'model-stewards.assign_steward' }).first()).toContainText(`in ${WORKSPACE}`);
  await expect(entries.filter({ hasText: 'model-stewards.steward_of' }).first()).toContainText('via: palette');
});

test('palette: a core tool answers with a table; the server’s refusal shows; catalog hits open their page', async ({
  page,
}) => {
  await page.goto(inWorkspace(''));
  await page.getByRole('button', { name: 'Commands' }).click();
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  const box = palette.getByRole('combobox', { name: 'Search tools and the catalog' });
  await expect(box).toBeFocused();

  // Search models: its result schema has rows, so it is a table.
  await box.fill('search models');
  await page.keyboard.press('Enter');
  const panel = palette.getByTestId('tool-panel');
  await expect(panel.getByTestId('tool-origin')).toContainText('Built into dbt-Workbench');
  await panel.getByRole('textbox', { name: /^Query/ }).fill('orders');
  await panel.getByRole('button', { name: 'Run' }).click();
  const table = panel.getByTestId('tool-result').getByRole('table');
  await expect(table.getByRole('row', { name: /model\.jaffle_shop\.orders/ }).first()).toBeVisible();

  // Get a node with an id that does not exist: the server's error, as it said it.
  await page.keyboard.press('Escape');
  await box.fill('get a node');
  await page.keyboard.press('Enter');
  await panel.getByRole('textbox').first().fill('model.jaffle_shop.no_such_model');
  await page.keyboard.press('Enter');
  await expect(panel.getByTestId('tool-error')).toContainText('no_such_model');

  // The catalog's hits are in the same box: Enter on one opens its page and closes the palette.
  await page.keyboard.press('Escape');
  await box.fill('stg_orders');
  const hit = palette.getByTestId('palette-hit').filter({ hasText: 'model.jaffle_shop.stg_orders' });
  await expect(hit).toBeVisible();
  await hit.click();
  await expect(palette).toBeHidden();
  await expect(page).toHaveURL(/\/models\/model\.jaffle_shop\.stg_orders$/);
});
