import type { Request } from '@playwright/test';
import { expect, inWorkspace, pluginContent, test } from './fixtures.ts';
import { countReactRenderers, reactRenderers } from './react-copies.ts';

const isFrontendOf = (plugin: string) => (request: Request) =>
  request.url().includes(`/plugins/${plugin}/`) && request.url().includes('/frontend/');

test('a plugin tab shows from the manifest alone; its remote loads only when the tab is opened', async ({ page }) => {
  const requests: Request[] = [];
  page.on('request', (r) => requests.push(r));
  // A workspace page that shows no plugin UI: only the sidebar, with the plugin's tab.
  await page.goto(inWorkspace('no-plugin-ui-here'));
  const tab = page.getByRole('link', { name: "What's new" });
  await expect(tab).toBeVisible();
  await expect(page.getByTestId('not-found')).toBeVisible();
  expect(requests.filter(isFrontendOf('release-notes'))).toHaveLength(0);

  await tab.click();
  await expect(page).toHaveURL(/\/w\/jaffle-shop-classic\/ext\/whats-new$/);
  const notes = pluginContent(page, 'release-notes');
  await expect(notes.getByRole('heading', { name: "What's new", level: 1 })).toBeVisible();
  await expect(notes.getByTestId('release')).toHaveCount(3);
  expect(requests.filter(isFrontendOf('release-notes')).length).toBeGreaterThan(0);
});

test('a plugin page opened directly by URL renders, and an unknown one says it is not available', async ({ page }) => {
  await page.goto(inWorkspace('ext/whats-new'));
  await expect(pluginContent(page, 'release-notes').getByText('2026.11.2')).toBeVisible();
  await page.goto(inWorkspace('ext/no-such-page'));
  await expect(page.getByTestId('plugin-unavailable')).toContainText('This plugin page is not available');
});

test('dashboard: working widgets render, failing ones show an error card naming the plugin', async ({ page }) => {
  await page.goto(inWorkspace());
  await expect(page.getByTestId('core-summary')).toBeVisible();

  const tips = pluginContent(page.locator('[data-testid="slot-dashboard.widget"][data-plugin="sql-tips"]'), 'sql-tips');
  await expect(tips.getByTestId('sql-tip')).toBeVisible();
  const release = pluginContent(
    page.locator('[data-testid="slot-dashboard.widget"][data-plugin="release-notes"]'),
    'release-notes',
  );
  await expect(release.locator('body')).toContainText('2026.11.2');

  const thrown = page.locator('[data-testid="plugin-error"][data-plugin="broken-widget"]');
  await expect(thrown).toContainText('Broken widget stopped working here');
  await expect(thrown).toContainText('the widget could not read its settings');

  // A remote on another origin runs only once approved, which pins its content: one that cannot be read is never
  // approved (502, nothing changes), so nothing of it reaches the page.
  await expect(page.locator('[data-plugin="unreachable-remote"]')).toHaveCount(0);
  const approve = await page.request.post('/api/plugins/unreachable-remote/approve', { data: { version: '1.0.0' } });
  expect(approve.status()).toBe(502);
  expect((await approve.json()).error.message).toContain('http://127.0.0.1:9/mf-manifest.json cannot be reached');
  expect((await (await page.request.get('/api/plugins/unreachable-remote')).json()).state).toBe('pending-approval');

  // The rest of the app keeps working: another plugin's widget stays interactive, navigation works.
  await tips.getByRole('button', { name: /Next tip/ }).click();
  await expect(tips.getByRole('button', { name: /Next tip \(2\// })).toBeVisible();
  await release.getByRole('button', { name: /All release notes/ }).click();
  await expect(page).toHaveURL(/\/w\/jaffle-shop-classic\/ext\/whats-new$/);
});

test("the page and each plugin frame hold exactly one React: remotes use their host's singletons", async ({ page }) => {
  await countReactRenderers(page);
  const remoteScripts: string[] = [];
  page.on('response', (response) => {
    if (response.url().includes('/frontend/') && response.url().endsWith('.js')) remoteScripts.push(response.url());
  });
  await page.goto(inWorkspace());
  await expect(pluginContent(page, 'sql-tips').getByTestId('sql-tip')).toBeVisible();
  await expect(pluginContent(page, 'release-notes').getByText('2026.11.2')).toBeVisible();
  // The shell's React; isolated plugins render in frames, documents of their own.
  expect(await reactRenderers(page)).toBe(1);
  // In each frame, the isolation runtime's React, which the plugin's remote shares.
  const frames = page.frames().filter((frame) => frame.url().includes('/plugin-frames/'));
  expect(frames.map((frame) => new URL(frame.url()).pathname.split('/')[2])).toEqual(
    expect.arrayContaining(['sql-tips', 'release-notes']),
  );
  for (const frame of frames) expect(await reactRenderers(frame), frame.url()).toBe(1);
  expect(remoteScripts.length).toBeGreaterThan(0);
  // React's own source carries this string; no remote ships a copy.
  // Fetched again: a frame's response bodies are not kept for the test to read.
  // Frames load from <plugin>.localhost, which only browsers resolve: the test asks the same server on loopback.
  for (const url of remoteScripts) {
    const onLoopback = url.replace(/\/\/[a-z0-9-]+\.localhost:/, '//127.0.0.1:');
    expect(await (await page.request.get(onLoopback)).text(), url).not.toContain('react.transitional.element');
  }
});

test('the Plugins page lists every plugin with its details and state', async ({ page }) => {
  await page.goto('/admin/plugins');
  const card = (name: string) => page.locator(`[data-testid="plugin-card"][data-plugin="${name}"]`);

  await expect(card('release-notes')).toContainText('Release notes');
  await expect(card('release-notes')).toContainText('v1.0.0');
  await expect(card('release-notes')).toContainText('Analytics Platform team');
  await expect(card('release-notes')).toContainText('a "What\'s new" page');
  await expect(card('release-notes').getByTestId('plugin-state')).toHaveText('active');

  await expect(card('needs-approval').getByTestId('plugin-state')).toHaveText('pending-approval');
  await expect(card('needs-approval')).toContainText('read-metadata');
  await expect(card('needs-approval').getByTestId('plugin-reason')).toContainText('read-metadata, extend-api');

  await expect(card('bad-manifest').getByTestId('plugin-state')).toHaveText('invalid');
  await expect(card('bad-manifest').getByTestId('plugin-reason')).toContainText('version');
  await card('bad-manifest')
    .getByText(/Manifest problems/)
    .click();
  await expect(card('bad-manifest')).toContainText('capabilities[0]');
});

test('a widget whose remote failed to load renders after "Try again"', async ({ page }) => {
  let blocked = true;
  await page.route('**/plugins/sql-tips/*/frontend/**', (route) => (blocked ? route.abort() : route.continue()));
  await page.goto(inWorkspace());
  const card = page.locator('[data-testid="plugin-error"][data-plugin="sql-tips"]');
  await expect(card).toContainText('SQL tips stopped working here');
  await expect(card).toContainText('Its code could not be loaded');
  // The other plugin on the page is unaffected.
  await expect(
    pluginContent(
      page.locator('[data-testid="slot-dashboard.widget"][data-plugin="release-notes"]'),
      'release-notes',
    ).locator('body'),
  ).toContainText('2026.11.2');

  blocked = false;
  await card.getByRole('button', { name: 'Try again' }).click();
  await expect(pluginContent(page, 'sql-tips').getByTestId('sql-tip')).toBeVisible();
});

test('plugins talk to the user through sdk.notify, labelled with their name', async ({ page }) => {
  await page.goto(inWorkspace());
  const tips = pluginContent(page.locator('[data-testid="slot-dashboard.widget"][data-plugin="sql-tips"]'), 'sql-tips');
  await tips.getByRole('button', { name: 'Copy' }).click();
  const notification = page.getByTestId('notification');
  await expect(notification).toContainText(/Tip copied to the clipboard|did not allow copying/);
  await expect(notification).toContainText('from SQL tips');
});

test('a remote that never answers shows an error card after the load timeout, and loads on "Try again"', async ({
  page,
}) => {
  let hang = true;
  await page.route('**/plugins/sql-tips/*/frontend/mf-manifest.json', (route) => (hang ? undefined : route.continue()));
  await page.goto(inWorkspace());
  const card = page.locator('[data-testid="plugin-error"][data-plugin="sql-tips"]');
  await expect(card).toContainText('Its code could not be loaded', { timeout: 10_000 });
  await card.getByText('Technical details').click();
  await expect(card).toContainText('no answer within 3 s');
  await expect(pluginContent(page, 'release-notes').getByText('2026.11.2')).toBeVisible();

  hang = false;
  await card.getByRole('button', { name: 'Try again' }).click();
  await expect(pluginContent(page, 'sql-tips').getByTestId('sql-tip')).toBeVisible();
});

test("admins see each plugin's cost in browsers: module load times and failures", async ({ page }) => {
  await page.goto(inWorkspace());
  await expect(pluginContent(page, 'sql-tips').getByTestId('sql-tip')).toBeVisible();
  await expect(page.locator('[data-testid="plugin-error"][data-plugin="broken-widget"]')).toBeVisible();
  // Leaving the page sends what it saw.
  await page.goto('/admin/plugins');
  const tips = page.locator('[data-testid="plugin-card"][data-plugin="sql-tips"]');
  await tips.getByRole('link', { name: 'Diagnostics and logs' }).click();
  await expect(page).toHaveURL(/\/admin\/plugins\/sql-tips$/);
  await expect(page.getByTestId('frontend-stats')).toContainText(/[1-9]\d* module loads, p50 \d/, { timeout: 10_000 });
  await page.goto('/admin/plugins/broken-widget');
  await expect(page.getByTestId('frontend-stats')).toContainText(/[1-9]\d* render errors/, { timeout: 10_000 });
});
