import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { ADMIN, signInAs } from './fixtures.ts';
import { testOnOwnServer } from './own-server.ts';

// The Plugins page at 200 plugins, on a server of its own: a plugins folder of 200 small manifests in every
// state a folder can put a plugin in. Its tests change plugins freely without touching the shared e2e servers.

const root = path.resolve(import.meta.dirname, '..');
const topics = ['Glossary', 'Owners', 'Freshness', 'Lineage', 'Costs'] as const;

/** What the generated folder holds, by state (disabled ones are switched off through the API at start). */
const expected = { active: 135, disabled: 15, 'pending-approval': 20, incompatible: 20, invalid: 10, error: 0 };

function manifestOf(i: number): Record<string, unknown> {
  const name = `scale-${String(i).padStart(3, '0')}`;
  const topic = topics[i % topics.length]!;
  const manifest: Record<string, unknown> = {
    name,
    version: '1.0.0',
    displayName: `${topic} ${i}`,
    description: `Adds ${topic.toLowerCase()} facts to the catalog`,
    author: { name: i % 2 === 0 ? 'Acme Data' : 'Beta Labs' },
    compatibility: { workbench: '^0.1.0', pluginApi: 1 },
    capabilities: [],
  };
  if (i > 150 && i <= 170) manifest.capabilities = ['read-metadata'];
  if (i > 170 && i <= 190) manifest.compatibility = { workbench: '>=99.0.0', pluginApi: 1 };
  if (i > 190) manifest.version = 'not-a-version';
  return manifest;
}
const isDisabledAtStart = (i: number) => i > 135 && i <= 150;

function writePlugins(pluginsDir: string): void {
  for (let i = 1; i <= 200; i++) {
    const manifest = manifestOf(i);
    mkdirSync(path.join(pluginsDir, manifest.name as string), { recursive: true });
    writeFileSync(path.join(pluginsDir, manifest.name as string, 'manifest.json'), JSON.stringify(manifest));
  }
}

const test = testOnOwnServer({
  name: 'scale',
  writePlugins,
  env: { PLUGIN_CATALOG: path.join(root, 'e2e/fixtures/marketplace'), DBT_SIMULATE_DELAY_MS: '5' },
  timeout: 50_000,
});

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser, ownServer }) => {
  test.setTimeout(60_000);
  const page = await browser.newPage({ baseURL: ownServer.url });
  await signInAs(page, ADMIN.username, ADMIN.password);
  const disabled = Array.from({ length: 200 }, (_, i) => i + 1).filter(isDisabledAtStart);
  const answer = await page.request.post('/api/plugins/bulk', {
    data: { action: 'disable', plugins: disabled.map((i) => ({ name: manifestOf(i).name })) },
  });
  expect((await answer.json()).results.filter((r: { ok: boolean }) => r.ok)).toHaveLength(15);
  await page.close();
});

const chip = (page: Page, state: string) => page.locator(`.wb-filter-chip[data-state="${state}"]`);
const rows = (page: Page) => page.getByTestId('plugin-row');

test('200 plugins: counts per state, search narrows, the table draws every row at once', async ({ page }) => {
  await page.goto('/admin/plugins');
  await expect(page.getByRole('heading', { name: 'Plugins', level: 1 })).toBeVisible();
  await expect(page.getByText('200 discovered, 135 active')).toBeVisible();
  await expect(chip(page, 'all')).toHaveText('All 200');
  await expect(chip(page, 'active')).toHaveText(`Active ${expected.active}`);
  await expect(chip(page, 'disabled')).toHaveText(`Disabled ${expected.disabled}`);
  await expect(chip(page, 'pending-approval')).toHaveText(`Pending approval ${expected['pending-approval']}`);
  await expect(chip(page, 'incompatible')).toHaveText(`Incompatible ${expected.incompatible}`);
  await expect(chip(page, 'invalid')).toHaveText(`Invalid ${expected.invalid}`);
  await expect(chip(page, 'error')).toHaveText('Error 0');
  // The card view shows a first page of cards, not 200 at once, in order of their titles.
  await expect(page.getByTestId('plugin-card')).toHaveCount(50);
  await expect(page.getByTestId('plugin-card').first()).toHaveAttribute('data-plugin', 'scale-004');

  // The switch to the table renders its 200 rows by the next task (React renders a click's update before it),
  // timed in the page so the test's own polling is not counted.
  const draw = await page.evaluate(async () => {
    const started = performance.now();
    [...document.querySelectorAll('button')].find((b) => b.textContent === 'Table')!.click();
    await new Promise((resolve) => setTimeout(resolve, 0));
    return { ms: performance.now() - started, rows: document.querySelectorAll('[data-testid="plugin-row"]').length };
  });
  expect(draw.rows).toBe(200);
  expect(draw.ms, `the table of 200 rows took ${Math.round(draw.ms)} ms`).toBeLessThan(1_000);
  await expect(rows(page)).toHaveCount(200);

  // Search: every word must match name, display name, description or author; counts follow it.
  const search = page.getByRole('searchbox', { name: 'Search plugins' });
  // 40 plugins are about lineage; the 2 invalid ones have no readable display name or description.
  await search.fill('lineage');
  await expect(rows(page)).toHaveCount(38);
  await expect(chip(page, 'all')).toHaveText('All 38');
  await expect(chip(page, 'invalid')).toHaveText('Invalid 0');
  await search.fill('lineage acme');
  await expect(rows(page)).toHaveCount(19);
  await chip(page, 'pending-approval').click();
  await expect(rows(page)).toHaveCount(2);
  await expect(chip(page, 'pending-approval')).toHaveAttribute('aria-pressed', 'true');
  // The filter is in the address and the view is remembered: a reload shows the same list.
  await page.reload();
  await expect(rows(page)).toHaveCount(2);
  await expect(page.getByRole('searchbox', { name: 'Search plugins' })).toHaveValue('lineage acme');
  await search.fill('no plugin is called this');
  await expect(page.getByTestId('no-plugin-matches')).toBeVisible();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(rows(page)).toHaveCount(200);
});

test('bulk enable turns on exactly the selected disabled plugins', async ({ page }) => {
  await page.goto('/admin/plugins?state=disabled');
  await page.getByRole('button', { name: 'Table', exact: true }).click();
  await expect(rows(page)).toHaveCount(15);
  await page.getByRole('checkbox', { name: 'Select every plugin shown' }).check();
  const bar = page.getByTestId('bulk-bar');
  await expect(bar).toContainText('15 selected');
  // Only what applies to disabled plugins is offered.
  await expect(bar.getByRole('button', { name: /Review and approve|Disable/ })).toHaveCount(0);
  await bar.getByRole('button', { name: 'Enable 15' }).click();
  await expect(page.getByTestId('no-plugin-matches')).toBeVisible();
  await expect(chip(page, 'disabled')).toHaveText('Disabled 0');
  await expect(chip(page, 'active')).toHaveText('Active 150');

  const plugins = (await (await page.request.get('/api/plugins')).json()).plugins as { name: string; state: string }[];
  expect(plugins.filter((p) => p.state === 'disabled')).toEqual([]);
  const audit = (await (await page.request.get('/api/audit?action=plugin.enable&limit=100')).json()).entries;
  expect(audit).toHaveLength(15);
});

test('bulk approve shows the combined access list first and approves exactly the reviewed versions', async ({
  page,
}) => {
  await page.goto('/admin/plugins?state=pending-approval');
  await page.getByRole('button', { name: 'Table', exact: true }).click();
  await expect(rows(page)).toHaveCount(20);
  const picked = ['scale-151', 'scale-152', 'scale-153'];
  for (const name of picked) await page.locator(`[data-testid="plugin-row"][data-plugin="${name}"] input`).check();
  await page.getByTestId('bulk-bar').getByRole('button', { name: 'Review and approve 3…' }).click();

  const dialog = page.getByTestId('bulk-dialog');
  await expect(dialog.getByRole('heading', { name: 'Approve 3 plugins' })).toBeVisible();
  const combined = dialog.getByTestId('combined-access');
  await expect(combined.locator('li')).toHaveCount(1);
  await expect(combined.locator('li[data-access-key="read-metadata"]')).toContainText(
    'Freshness 152, Lineage 153, Owners 151',
  );
  await expect(combined).toContainText('needs approval');
  // Nothing is approved before the admin confirms.
  expect((await (await page.request.get('/api/plugins/scale-151')).json()).state).toBe('pending-approval');
  await dialog.getByRole('button', { name: 'Approve these 3 versions' }).click();
  await expect(dialog.getByTestId('bulk-outcome')).toHaveText('Approved 3 plugins.');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(chip(page, 'pending-approval')).toHaveText('Pending approval 17');
  for (const name of picked) {
    expect((await (await page.request.get(`/api/plugins/${name}`)).json()).state).toBe('active');
  }
  expect((await (await page.request.get('/api/plugins/scale-154')).json()).state).toBe('pending-approval');
});

test('actions show only where they apply; the sidebar stays while the page scrolls', async ({ page }) => {
  await page.goto('/admin/plugins?state=invalid');
  await page.getByRole('button', { name: 'Table', exact: true }).click();
  const invalid = rows(page).first();
  await expect(invalid.getByRole('button')).toHaveText(['Details']);
  await invalid.getByRole('button', { name: 'Details' }).click();
  const invalidCard = page.getByTestId('plugin-card');
  await expect(invalidCard.getByRole('checkbox', { name: 'Enabled by default in every workspace' })).toHaveCount(0);

  await page.goto('/admin/plugins?state=pending-approval');
  await page.getByRole('button', { name: 'Cards', exact: true }).click();
  const pending = page.getByTestId('plugin-card').first();
  await expect(pending.getByTestId('approval-review')).toBeVisible();
  await expect(pending.getByRole('button', { name: 'Pin this version' })).toHaveCount(0);
  await expect(pending.getByRole('button', { name: 'Roll back…' })).toHaveCount(0);

  // A plugin placed in the folder by hand keeps no previous version: no "Roll back…" beside saying so.
  await page.goto('/admin/plugins?state=active&q=scale-001');
  const card = page.getByTestId('plugin-card');
  await expect(card).toHaveCount(1);
  await expect(card.getByRole('button', { name: 'Pin this version' })).toBeVisible();
  await expect(card.getByRole('button', { name: 'Roll back…' })).toHaveCount(0);
  // No icon: a letter from the display name ("Owners 1"), not a grey square.
  await expect(card.getByTestId('plugin-avatar')).toHaveText('O');

  await page.goto('/admin/plugins');
  await page.getByRole('button', { name: 'Table', exact: true }).click();
  await expect(rows(page)).toHaveCount(200);
  await page.mouse.wheel(0, 6_000);
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(3_000);
  const nav = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' });
  await expect(nav).toBeInViewport();
});

test('unticking "Enabled by default" is audited as that, not as disabling the plugin', async ({ page }) => {
  await page.goto('/admin/plugins?q=scale-002');
  await page.getByRole('button', { name: 'Cards', exact: true }).click();
  const card = page.getByTestId('plugin-card');
  // The switch follows the server's answer, so it is clicked rather than unchecked.
  await card.getByRole('checkbox', { name: 'Enabled by default in every workspace' }).click();
  await expect(card.getByTestId('plugin-state')).toHaveText('disabled');
  await page.goto('/admin/audit');
  const entries = page.locator('[data-testid="audit-entry"]');
  await expect(entries.first()).toHaveAttribute('data-action', 'plugin.default-off');
  await expect(entries.first()).toContainText('scale-002');
  await expect(page.locator('[data-testid="audit-entry"][data-action="plugin.disable"]')).toHaveCount(15);
});

test('the Marketplace names its catalog by its setting, never by a server path', async ({ page }) => {
  await page.goto('/admin/marketplace');
  const source = page.getByTestId('catalog-source');
  await expect(source).toContainText('in the catalog folder set by PLUGIN_CATALOG');
  await expect(source).not.toContainText('/');
  await expect(page.locator('main')).not.toContainText(root);
});

test('a page that does not exist is shown inside the app, with the sidebar', async ({ page }) => {
  for (const address of ['/no-such-page', '/w/no-such-workspace', '/w/jaffle-shop/no-such-page']) {
    await page.goto(address);
    await expect(page.getByTestId('not-found')).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  }
});

test("links use the app's link style, not the browser's", async ({ page }) => {
  const linkStyles = () =>
    page.locator('main a').evaluateAll((links) =>
      links.map((a) => {
        const style = getComputedStyle(a);
        return { text: a.textContent, color: style.color, underline: style.textDecorationLine };
      }),
    );
  const browserBlue = ['rgb(0, 0, 238)', 'rgb(85, 26, 139)'];
  for (const address of ['/no-such-page', '/w/jaffle-shop', '/w/jaffle-shop/models/model.jaffle_shop.orders']) {
    await page.goto(address);
    await expect(page.locator('main a').first()).toBeVisible();
    for (const link of await linkStyles()) {
      expect(browserBlue, `${address}: link "${link.text}"`).not.toContain(link.color);
      expect(link.underline, `${address}: link "${link.text}"`).toBe('none');
    }
  }
});

test('search results count resource types in plain English', async ({ page }) => {
  await page.goto('/w/jaffle-shop/search?q=metrics%20grouped%20by');
  const summary = page.getByTestId('search-page');
  await expect(summary).toContainText('saved queries');
  await expect(summary).not.toContainText('querys');
});
