import { expect, type Page } from '@playwright/test';
import { writeWidgetPlugins } from '../scripts/bench/widget-plugins.ts';
import { inWorkspace } from './fixtures.ts';
import { testOnOwnServer } from './own-server.ts';

// A dashboard of 60 widget plugins (each a real remote with a configuration schema), on a server of its own:
// only the widgets on screen fetch their remote (or open their frame); the others wait until scrolled to.

const WIDGETS = 60;

const test = testOnOwnServer({
  name: 'dashboard-scale',
  writePlugins: (pluginsDir) => writeWidgetPlugins(pluginsDir, WIDGETS),
  env: { PLUGINS_WATCH: 'false', PLUGIN_AUTO_APPROVE: 'read-metadata' },
  timeout: 110_000,
});

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1280, height: 720 } });

/** The plugins whose remote entry the page (or any of its frames) has asked for, as the network saw it. */
function remotesFetched(page: Page): Set<string> {
  const plugins = new Set<string>();
  page.on('request', (request) => {
    const match = /\/plugins\/([a-z0-9-]+)\/[^/]+\/frontend\/remoteEntry\.js/.exec(request.url());
    if (match) plugins.add(match[1]!);
  });
  return plugins;
}

/** The widget panels whose top is inside the viewport now, by plugin. */
const panelsOnScreen = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('section[data-plugin]')]
      .filter((p) => {
        const box = p.getBoundingClientRect();
        return box.bottom > 0 && box.top < innerHeight;
      })
      .map((p) => p.dataset.plugin!),
  );

const panel = (page: Page, plugin: string) => page.locator(`section[data-plugin="${plugin}"]`);

for (const level of ['in-page', 'isolated'] as const) {
  test(`${level}: only the widgets on screen load their remote; the last loads when scrolled to, the middle never`, async ({
    page,
    ownServer,
  }) => {
    // Each isolated widget's frame is a process of its own: a first screen of them boots slowly on a busy machine.
    test.setTimeout(level === 'isolated' ? 180_000 : 90_000);
    for (const name of ownServer.plugins) {
      const set = await page.request.put(`/api/plugins/${name}/ui-trust`, { data: { level } });
      expect(set.status(), await set.text()).toBe(200);
    }
    const fetched = remotesFetched(page);
    await page.goto(inWorkspace());
    await expect(page.locator('section[data-plugin]')).toHaveCount(WIDGETS);
    const first = ownServer.plugins[0]!;
    const rendered = (plugin: string) =>
      level === 'in-page'
        ? panel(page, plugin).getByTestId('scale-widget')
        : panel(page, plugin).locator('[data-testid="plugin-frame-holder"][data-state="rendered"]');
    await expect(rendered(first)).toBeVisible();

    // Every widget in view renders; the network saw the remotes of the first few, not of the rest.
    const onScreen = await panelsOnScreen(page);
    expect(onScreen.length).toBeGreaterThan(2);
    expect(onScreen.length).toBeLessThan(WIDGETS / 2);
    for (const plugin of onScreen) await expect(rendered(plugin)).toBeVisible();
    await page.waitForTimeout(1_000); // anything eager would have asked by now
    const loadedFirst = [...fetched].sort();
    expect(loadedFirst.length).toBeGreaterThan(2);
    expect(loadedFirst.length).toBeLessThan(WIDGETS / 2);
    // The first ones in order: those in view, and those a row further that were in view before the widgets above
    // them rendered taller than their placeholders.
    expect(loadedFirst).toEqual(ownServer.plugins.slice(0, loadedFirst.length));
    for (const plugin of onScreen) expect(loadedFirst).toContain(plugin);
    if (level === 'isolated') expect(await page.getByTestId('plugin-frame').count()).toBe(loadedFirst.length);

    // A jump to the end: the last widget loads and renders; the ones jumped over never came on screen.
    const last = ownServer.plugins.at(-1)!;
    await panel(page, last).scrollIntoViewIfNeeded();
    await expect(rendered(last)).toBeVisible({ timeout: 45_000 });
    expect(fetched).toContain(last);
    const middle = ownServer.plugins[Math.floor(WIDGETS / 2)]!;
    expect(fetched).not.toContain(middle);
    await expect(panel(page, middle)).toContainText(`Loading Widget ${Math.floor(WIDGETS / 2)}`);
    expect(fetched.size).toBeLessThan(WIDGETS / 2);
  });
}

test("the shell's fetch of the extensions list revalidates with the ETag: a reload moves headers, not the list", async ({
  page,
}) => {
  const listed = () =>
    page.evaluate(() =>
      (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
        .filter((e) => /\/api\/workspaces\/[^/]+\/extensions$/.test(e.name))
        .map((e) => ({ transferred: e.transferSize, encoded: e.encodedBodySize, body: e.decodedBodySize })),
    );
  await page.goto(inWorkspace());
  await expect(page.locator('section[data-plugin]')).toHaveCount(WIDGETS);
  const [first] = await listed();
  expect(first!.body).toBeGreaterThan(10_000);
  // Gzipped on the wire (the server compresses each list once), then whole in the page.
  expect(first!.encoded).toBeLessThan(first!.body / 3);
  expect(first!.transferred).toBeGreaterThan(first!.encoded);

  await page.reload();
  await expect(page.locator('section[data-plugin]')).toHaveCount(WIDGETS);
  const [again] = await listed();
  expect(again!.body).toBe(first!.body);
  expect(again!.transferred).toBeLessThan(2_000);
});
