// Every example plugin with a frontend, in each UI trust level (issue 11 item 7): the same build renders real content
// in a sandboxed frame and in the page, and at least one call of each kind crosses the bridge: sdk.navigate, sdk.data,
// a slot's callback (sql.control), sdk.fetch to the plugin's backend, sdk.notify. Storage is checked in
// isolated-ui.spec.ts (no example plugin uses it).
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { ADMIN, expect, inWorkspace, signInAs, test, WORKSPACE } from './fixtures.ts';
import { installPackages, setUiTrust, type UiTrust } from './plugin-packages.ts';

const root = path.resolve(import.meta.dirname, '..');
/** How long a page's frames may take to boot on a busy 2-core machine (each frame runs its own React). */
const FIRST_RENDER = 15_000;
const examples = ['data-quality', 'model-owners', 'release-notes', 'run-digest', 'sql-tips', 'sql-toolkit'];

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  const page = await browser.newPage();
  await signInAs(page, ADMIN.username, ADMIN.password);
  await installPackages(
    page.request,
    examples.map((name) => path.join(root, 'plugins', name)),
  );
  for (const name of examples)
    expect(((await (await page.request.get(`/api/plugins/${name}`)).json()) as { state: string }).state, name).toBe(
      'active',
    );
  await page.close();
});

// Isolated is every plugin's default: whatever a test changed is set back.
test.afterAll(async ({ browser }) => {
  const page = await browser.newPage();
  await signInAs(page, ADMIN.username, ADMIN.password);
  for (const name of examples) await setUiTrust(page.request, name, 'isolated');
  await page.close();
});

/**
 * Where a plugin's content is, in `scope` (the page by default): inside its frame when isolated, and the page
 * itself when in-page, where no frame may be.
 */
function contentOf(page: Page, plugin: string, level: UiTrust, scope: Locator | Page = page) {
  const frames = scope.locator(`[data-testid="plugin-frame"][data-plugin="${plugin}"]`);
  return level === 'isolated' ? frames.first().contentFrame() : scope;
}

async function expectLevel(page: Page, plugin: string, level: UiTrust): Promise<void> {
  const frames = page.locator(`[data-testid="plugin-frame"][data-plugin="${plugin}"]`);
  if (level === 'isolated') await expect(frames.first()).toBeAttached();
  else await expect(frames).toHaveCount(0);
}

/** A successful run of the test workspace, so run pages have something to show. */
async function finishedRun(page: Page): Promise<string> {
  const run = (await (await page.request.post(`/api/workspaces/${WORKSPACE}/runs`, { data: {} })).json()) as {
    id: string;
  };
  await expect
    .poll(
      async () =>
        ((await (await page.request.get(`/api/workspaces/${WORKSPACE}/runs/${run.id}`)).json()) as { status: string })
          .status,
      { timeout: 20_000 },
    )
    .toBe('success');
  return run.id;
}

for (const level of ['isolated', 'in-page'] as const) {
  test(`the dashboard, model and lineage pages' plugins render and call the app ${level}`, async ({ page }) => {
    test.setTimeout(90_000);
    for (const name of examples) await setUiTrust(page.request, name, level);

    // Dashboard: three widgets; a notification (sql-tips), sdk.data (data-quality), sdk.navigate (release-notes).
    await page.goto(inWorkspace());
    for (const name of ['release-notes', 'sql-tips', 'data-quality']) await expectLevel(page, name, level);
    const tips = contentOf(page, 'sql-tips', level);
    await expect(tips.getByTestId('sql-tip')).not.toBeEmpty({ timeout: FIRST_RENDER });
    await tips.getByRole('button', { name: 'Copy' }).click();
    await expect(page.getByTestId('notification').last()).toContainText(/Tip copied|did not allow copying/);
    await expect(contentOf(page, 'data-quality', level).getByTestId('failing-models')).toBeVisible();
    await contentOf(page, 'release-notes', level).getByRole('button', { name: 'All release notes →' }).click();
    await expect(page).toHaveURL(/\/ext\/whats-new$/);
    await expectLevel(page, 'release-notes', level);
    await expect(contentOf(page, 'release-notes', level).getByRole('heading', { name: "What's new" })).toBeVisible({
      timeout: FIRST_RENDER,
    });

    // data-quality's routed page, reached with sdk.navigate, reading models with sdk.data.
    await page.goto(inWorkspace());
    await contentOf(page, 'data-quality', level).getByRole('button', { name: 'Full quality report →' }).click();
    await expect(page).toHaveURL(/\/ext\/quality-report$/);
    await expect(contentOf(page, 'data-quality', level).getByTestId('quality-report')).toBeVisible({
      timeout: FIRST_RENDER,
    });

    // Model page: a model panel given the model, a page widget beside it.
    await page.goto(inWorkspace('models/model.jaffle_shop.customers'));
    await expect(contentOf(page, 'data-quality', level).getByTestId('quality-panel')).toContainText(/test/, {
      timeout: FIRST_RENDER,
    });
    await expect(contentOf(page, 'model-owners', level).getByTestId('ownership')).toContainText('customers');

    // Lineage: the overlay's badges over the graph; a node action whose click notifies.
    await page.goto(inWorkspace(`lineage?focus=${encodeURIComponent('model.jaffle_shop.customers')}`));
    await expect(contentOf(page, 'model-owners', level).getByTestId('owner-badge').first()).toBeVisible({
      timeout: FIRST_RENDER,
    });
    await page.locator('[data-testid="lineage-node"][data-node-id="model.jaffle_shop.customers"]').click();
    await expect(page.getByTestId('lineage-panel').getByRole('heading', { name: 'customers' })).toBeVisible();
    // Frames are made only for slots on screen: the panel's actions sit below the fold of a 720 px viewport.
    const actions = page.getByTestId('node-actions');
    await actions.scrollIntoViewIfNeeded();
    await contentOf(page, 'model-owners', level, actions)
      .getByRole('button', { name: 'Copy ref()' })
      .click({ timeout: FIRST_RENDER });
    await expect(page.getByTestId('notification').last()).toContainText("ref('customers')");
  });

  test(`the SQL and run pages' plugins render and call the app ${level}`, async ({ page }) => {
    test.setTimeout(90_000);
    for (const name of examples) await setUiTrust(page.request, name, level);

    // SQL: a template (no code), the chart panel given the result, the control's setSql and run callbacks.
    await page.goto(inWorkspace('sql'));
    await page.getByTestId('sql-templates').getByRole('button', { name: 'Orders by status' }).click();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const panel = page.locator('[data-testid="slot-sql.panel"][data-plugin="sql-toolkit"]');
    await expect(contentOf(page, 'sql-toolkit', level, panel).getByTestId('sql-chart')).toContainText('completed', {
      timeout: FIRST_RENDER,
    });
    const control =
      level === 'isolated'
        ? page.locator('[data-testid="plugin-frame"][data-plugin="sql-toolkit"][title$=": preview"]').contentFrame()
        : page;
    await control.getByRole('button', { name: 'Preview 10 rows' }).click();
    await expect(page.getByLabel('SQL editor')).toContainText('as preview limit 10');

    // Run page: run-digest reads its own backend with sdk.fetch; data-quality compares the run.
    const run = await finishedRun(page);
    await page.goto(inWorkspace(`runs/${run}`));
    await expect(contentOf(page, 'run-digest', level).getByTestId('run-digest')).toBeVisible({
      timeout: FIRST_RENDER,
    });
    await expect(contentOf(page, 'data-quality', level).getByTestId('run-comparison')).toBeVisible();
  });
}
