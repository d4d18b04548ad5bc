import { expect, inWorkspace, test } from './fixtures.ts';

// Runs, DuckDB loads, workspace additions and isolated plugin frames: slow on a busy 2-core machine.
test.describe.configure({ timeout: 90_000 });

test("SQL on the project's models: after a run the classic jaffle shop's customers model is a table to query", async ({
  page,
}) => {
  // The e2e server's copy of the workspace starts without a models database; a (simulated) run builds it.
  const run = await (await page.request.post('/api/workspaces/jaffle-shop-classic/runs', { data: {} })).json();
  await expect
    .poll(
      async () => (await (await page.request.get(`/api/workspaces/jaffle-shop-classic/runs/${run.id}`)).json()).status,
      { timeout: 20_000 },
    )
    .toBe('success');

  await page.goto(inWorkspace('sql'));
  const tables = page.getByRole('region', { name: 'Tables' });
  // The first look at a workspace loads its seeds and copies its models database.
  await expect(tables.getByTestId('sql-models-source')).toHaveText(
    "From target/simulated.duckdb, written by the demo's run simulator.",
    { timeout: 20_000 },
  );
  const models = tables.getByRole('list', { name: 'Models' });
  await expect(models.getByRole('button', { name: 'customers', exact: true })).toBeVisible();
  // A seed dbt copied into the database is shown by the full name that reaches it: the CSV comes first.
  await expect(models.getByRole('button', { name: 'simulated.jaffle_shop.raw_orders', exact: true })).toBeVisible();
  await expect(
    tables.getByRole('list', { name: 'Seeds' }).getByRole('button', { name: 'raw_orders', exact: true }),
  ).toBeVisible();

  await page.getByTestId('sql-templates').getByRole('button', { name: 'Customers by lifetime value' }).click();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByTestId('sql-summary')).toContainText('10 rows');
  const results = page.getByRole('region', { name: 'Query results' });
  await expect(results.getByRole('columnheader', { name: /customer_lifetime_value/ })).toBeVisible();
});

test('SQL where models cannot be read: the page says why, and a template needing a missing table says so', async ({
  page,
}) => {
  await page.goto('/w/jaffle-shop/sql');
  const tables = page.getByRole('region', { name: 'Tables' });
  await expect(tables.getByTestId('sql-models-unavailable')).toHaveText(
    "This workspace's target is DuckDB, but its database file (jaffle_shop.duckdb) is not in the project folder or " +
      'its target folder: run dbt build to create it. It has no seed CSVs either: put CSV files in its seeds folder ' +
      'to query them here.',
    { timeout: 20_000 },
  );
  await expect(tables).not.toContainText('No tables');

  await page.getByTestId('sql-templates').getByRole('button', { name: 'Orders by status' }).click();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const error = page.getByTestId('sql-error');
  // raw_orders is one of the project's seeds, which dbt would load into the database it has not built yet.
  await expect(error).toContainText(
    "Table raw_orders is not available in this workspace: it is one of the project's seeds. This workspace's " +
      'target is DuckDB, but its database file (jaffle_shop.duckdb) is not in the project folder',
  );
  await expect(error).not.toContainText('pg_');
});

test('release notes belong to their workspace: the classic shop has its own, the new one says it has none', async ({
  page,
}) => {
  await page.goto('/w/jaffle-shop-classic');
  // Plugin UI runs in an isolated frame.
  const widget = page.locator('[data-testid="plugin-frame"][data-plugin="release-notes"]').contentFrame();
  await expect(widget.locator('body')).toContainText('2026.11.2', { timeout: 20_000 });
  await expect(widget.locator('body')).toContainText('Jaffle Shop (classic), released 2026-11-18');

  await page.goto('/w/jaffle-shop');
  await expect(widget.getByTestId('no-releases')).toHaveText(
    'No release notes for Jaffle Shop yet. An admin adds them in Admin → Plugins → Release notes → Configure, ' +
      'under the workspace\'s name "jaffle-shop".',
    { timeout: 20_000 },
  );
  await page.goto('/w/jaffle-shop/ext/whats-new');
  await expect(widget.getByTestId('no-releases')).toBeVisible({ timeout: 20_000 });
  await expect(widget.getByTestId('release')).toHaveCount(0);
});
