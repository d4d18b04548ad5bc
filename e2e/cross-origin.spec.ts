import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, inWorkspace, pluginContent, test, WORKSPACE } from './fixtures.ts';
import { livePluginsDir } from './playwright.config.ts';
import { setUiTrust, type UiTrust } from './plugin-packages.ts';

const root = path.resolve(import.meta.dirname, '..');
const work = path.join(root, '.test-results', 'cross-origin');
const REMOTE_PORT = 4820;
const ATTACKER_PORT = 4821;
const cli = (...args: string[]) =>
  execFileSync(process.execPath, [path.join(root, 'packages/cli/dist/bin.js'), ...args], { cwd: root, stdio: 'pipe' });

/** A second origin on loopback, as a plugin team's own CDN would be: serves built remotes with CORS. */
function serveRemotes(dir: string): Promise<Server> {
  const server = createServer((request, response) => {
    const file = path.join(dir, decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
    if (!file.startsWith(dir)) return void response.writeHead(403).end();
    try {
      const body = readFileSync(file);
      const type = file.endsWith('.json') ? 'application/json' : 'text/javascript';
      response.writeHead(200, { 'content-type': type, 'access-control-allow-origin': '*' }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(REMOTE_PORT, '127.0.0.1', () => resolve(server)));
}

/** Builds version `version` of the plugin, with its greeting, and publishes its remote under /<version>/. */
function publish(version: string, words: string): void {
  const dir = path.join(work, 'cdn-widget');
  const greeting = path.join(dir, 'src', 'greeting.ts');
  writeFileSync(greeting, readFileSync(greeting, 'utf8').replace(/Hello[^$`]*from/, `${words} from`));
  const manifestFile = path.join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  manifest.version = version;
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
  cli('build', dir);
  rmSync(path.join(work, 'cdn', version), { recursive: true, force: true });
  execFileSync('cp', ['-r', path.join(dir, 'frontend'), path.join(work, 'cdn', version)]);
  // The app's copy has only the manifest: its frontend lives on the other origin.
  const installed = path.join(root, livePluginsDir, 'cdn-widget');
  mkdirSync(installed, { recursive: true });
  manifest.frontend.remote = `http://127.0.0.1:${REMOTE_PORT}/${version}/mf-manifest.json`;
  writeFileSync(path.join(installed, 'manifest.json'), JSON.stringify(manifest, null, 2));
}

/** Runs `steps` with a new cdn-widget project served on its own origin; the app's copy is removed after. */
async function withCdnWidget(steps: () => Promise<void>): Promise<void> {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(path.join(work, 'cdn'), { recursive: true });
  cli('create', 'cdn-widget', '--dir', work);
  const server = await serveRemotes(path.join(work, 'cdn'));
  try {
    await steps();
  } finally {
    server.close();
    rmSync(path.join(root, livePluginsDir, 'cdn-widget'), { recursive: true, force: true });
  }
}

type PluginFacts = { state: string; reason?: string; manifest?: { version: string } };

test('a remote on its own origin runs only as approved: a changed chunk is refused by the browser, then withheld by the server until approved again', async ({
  page,
}) => {
  test.setTimeout(60_000);
  const plugin = async () => (await (await page.request.get('/api/plugins/cdn-widget')).json()) as PluginFacts;
  const approve = async () => {
    const response = await page.request.post('/api/plugins/cdn-widget/approve', { data: { version: '1.0.0' } });
    expect(response.status(), await response.text()).toBe(200);
  };
  await withCdnWidget(async () => {
    publish('1.0.0', 'Hello');
    // Nothing of a remote on another origin runs before an admin approves it (which pins what it serves).
    await expect.poll(async () => (await plugin()).state, { timeout: 10_000 }).toBe('pending-approval');
    await approve();
    expect((await plugin()).state).toBe('active');
    await page.goto(inWorkspace());
    const greeting = pluginContent(page, 'cdn-widget').getByTestId('cdn-widget-greeting');
    await expect(greeting).toContainText('Hello from', { timeout: 10_000 });

    // Someone between the team's origin and this browser serves other bytes for a pinned chunk: refused.
    const cdn = path.join(work, 'cdn', '1.0.0');
    const chunk = readdirSync(cdn).find((f) => f.startsWith('__federation_expose_Widget') && f.endsWith('.js'))!;
    const chunkUrl = `http://127.0.0.1:${REMOTE_PORT}/1.0.0/${chunk}`;
    const tampered = readFileSync(path.join(cdn, chunk), 'utf8').replace('Hello', 'Changed');
    const refused: string[] = [];
    page.on('console', (message) => {
      if (/integrity/i.test(message.text())) refused.push(message.text());
    });
    await page.route(chunkUrl, (route) =>
      route.fulfill({
        body: tampered,
        contentType: 'text/javascript',
        headers: { 'access-control-allow-origin': '*' },
      }),
    );
    await page.reload();
    await expect(page.getByText(`Its code was refused: ${chunk} changed since an admin approved it.`)).toBeVisible({
      timeout: 10_000,
    });
    await expect(greeting).toHaveCount(0);
    expect(refused.join('\n')).toContain(chunk);
    await page.unroute(chunkUrl);

    // The chunk really changes on the team's origin: the server's check sees it and withholds the plugin.
    writeFileSync(path.join(cdn, chunk), tampered);
    await expect
      .poll(async () => (await plugin()).reason ?? '', { timeout: 10_000 })
      .toMatch(/its remote http:\/\/127\.0\.0\.1:4820\/1\.0\.0\/mf-manifest\.json changed since approval \(.+\)/);
    expect((await plugin()).state).toBe('pending-approval');
    await page.goto('/admin/plugins');
    await expect(page.getByText(/changed since approval/).first()).toBeVisible();

    // Approving again pins what it serves now, and that runs.
    await approve();
    await page.goto(inWorkspace());
    await expect(greeting).toContainText('Changed from', { timeout: 10_000 });
  });
});

/**
 * Opens the dashboard, then publishes the plugin greeting with `words` and approves it at UI trust `level` while the
 * page stays open. Each test's own words make its build new, so it waits for approval whatever ran before.
 */
async function approveWhileOpen(page: Page, level: UiTrust, words: string): Promise<void> {
  await page.goto(inWorkspace());
  await expect(page.getByTestId('core-summary')).toBeVisible();
  await page.evaluate(() => Object.assign(window, { __sameDocument: true }));
  publish('1.0.0', words);
  await expect
    .poll(async () => (await (await page.request.get('/api/plugins/cdn-widget')).json()).state, { timeout: 10_000 })
    .toBe('pending-approval');
  await setUiTrust(page.request, 'cdn-widget', level);
  const approved = await page.request.post('/api/plugins/cdn-widget/approve', { data: { version: '1.0.0' } });
  expect(approved.status(), await approved.text()).toBe(200);
}

const sameDocument = (page: Page) =>
  page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument);

test('a remote on an origin approved while a page is open runs there at once in its frame', async ({ page }) => {
  test.setTimeout(60_000);
  await withCdnWidget(async () => {
    // Isolated: the page's Content-Security-Policy is fixed when it opens, but a frame's is made when the frame
    // opens, and it allows the origin approved by then.
    await approveWhileOpen(page, 'isolated', 'Hello, isolated,');
    const greeting = pluginContent(page, 'cdn-widget').getByTestId('cdn-widget-greeting');
    await expect(greeting).toContainText('Hello, isolated, from', { timeout: 10_000 });
    expect(await sameDocument(page)).toBe(true);
  });
});

test('in page, a remote on an origin approved while a page is open asks that page for a reload, then loads', async ({
  page,
}) => {
  test.setTimeout(60_000);
  await withCdnWidget(async () => {
    // In page, the page's policy is the one that counts, and it allows no remote origin yet.
    await approveWhileOpen(page, 'in-page', 'Hello, in page,');

    // The open page learns of the widget, but its policy refuses the new origin: it says so, and what to do.
    await expect(
      page.getByText(
        `Its code is on http://127.0.0.1:${REMOTE_PORT}, which was approved after this page opened: reload the page to load it.`,
      ),
    ).toBeVisible({ timeout: 10_000 });
    expect(await sameDocument(page)).toBe(true);
    await page.reload();
    await expect(page.getByTestId('cdn-widget-greeting')).toContainText('Hello, in page, from', { timeout: 10_000 });
  });
});

test("another site cannot frame a plugin's frame document: the browser refuses it (frame-ancestors)", async ({
  page,
  baseURL,
}) => {
  const { extensions } = (await (await page.request.get(`/api/workspaces/${WORKSPACE}/extensions`)).json()) as {
    extensions: { plugin: string; uiTrust: string; remote?: { revision: string } }[];
  };
  const target = extensions.find((e) => e.uiTrust === 'isolated' && e.remote);
  expect(target, 'an isolated plugin with a frontend on the live server').toBeDefined();
  const app = new URL(baseURL!);
  const attacker = `http://127.0.0.1:${ATTACKER_PORT}`;
  // The frame document exactly as the app frames it, but claiming the attacker's page as its parent.
  const frameSrc =
    `http://${target!.plugin}.localhost:${app.port}/plugin-frames/${target!.plugin}/${target!.remote!.revision}/` +
    `#parent=${encodeURIComponent(attacker)}`;
  const site = createServer((_request, response) =>
    response.writeHead(200, { 'content-type': 'text/html' }).end(`<iframe src="${frameSrc}"></iframe>`),
  );
  await new Promise<void>((resolve) => site.listen(ATTACKER_PORT, '127.0.0.1', resolve));
  try {
    const refused = page.waitForEvent('console', (m) => m.text().includes('frame-ancestors'));
    await page.goto(attacker);
    expect((await refused).text()).toContain('has been blocked');
    // Chromium shows its error page in the frame instead: the plugin's document and the runtime never ran there.
    await expect.poll(() => page.frames().map((f) => f.url())).toContain('chrome-error://chromewebdata/');
    expect(page.frames().some((f) => f.url().includes('/plugin-frames/'))).toBe(false);
  } finally {
    site.close();
  }
});
