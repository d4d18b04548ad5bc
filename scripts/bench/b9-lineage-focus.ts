// B9: lineage focus on a generated 1,000-node project, in chromium. From the whole-project view, the time from the
// click on "Focus here" until the focused node is drawn; and the time from opening `lineage?focus=` in a new page
// until it is drawn. The project is made by ../shared/data/tools/generate_large_manifest.mjs.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright';
import { ADMIN_PASSWORD, launchChromium, median, ms, root, startServer, tempDir, type BenchRow } from './support.ts';

const TARGET_MS = 500;
const FOCUSES = 8;
const generator = path.resolve(root, '../shared/data/tools/generate_large_manifest.mjs');

/** A dbt project of 850 models with their sources, seeds and exposures: 1,001 nodes to draw. */
function generateProject(): { configFile: string; nodeIds: string[] } {
  const dir = tempDir('wb-bench-b9-');
  const target = path.join(dir, 'project', 'target');
  mkdirSync(target, { recursive: true });
  execFileSync(process.execPath, [generator, '--models', '850', '--seed', '11', '--out', target], { stdio: 'pipe' });
  const manifest = JSON.parse(readFileSync(path.join(target, 'manifest.json'), 'utf8')) as {
    nodes: Record<string, { resource_type: string }>;
  };
  const nodeIds = Object.entries(manifest.nodes)
    .filter(([, n]) => n.resource_type === 'model')
    .map(([id]) => id);
  const configFile = path.join(dir, 'workbench.config.json');
  writeFileSync(
    configFile,
    JSON.stringify({ workspaces: [{ name: 'big', title: 'Generated 1,000', projectDir: path.join(dir, 'project') }] }),
  );
  return { configFile, nodeIds };
}

/** Resolves, in the page, with the ms from the next click (or from navigation start) until `id` is drawn focused. */
function armFocusTimer(page: Page, id: string, fromClick: boolean): Promise<void> {
  return page.evaluate(
    ([nodeId, click]) => {
      const w = window as unknown as { benchStart: number; benchDrawn: Promise<number> };
      w.benchStart = 0;
      if (click)
        document.addEventListener('click', () => (w.benchStart = performance.now()), { once: true, capture: true });
      w.benchDrawn = new Promise((resolve) => {
        const check = () => {
          if (!document.querySelector(`.react-flow__node [data-node-id="${CSS.escape(nodeId)}"].is-focus`)) return;
          observer.disconnect();
          resolve(performance.now() - w.benchStart);
        };
        const observer = new MutationObserver(check);
        observer.observe(document.body, { subtree: true, childList: true, attributes: true });
        check();
      });
    },
    [id, fromClick] as const,
  );
}

async function focusFromWholeView(page: Page, index: number): Promise<number> {
  await page.goto('/w/big/lineage');
  const nodes = page.locator('.react-flow__node [data-testid="lineage-node"][data-type="model"]');
  await nodes.nth(index % 5).waitFor();
  await nodes.nth(index % 5).click();
  const panel = page.getByTestId('lineage-panel');
  const id = (await panel.locator('.wb-lineage-id').textContent()) ?? '';
  await armFocusTimer(page, id, true);
  await panel.getByRole('button', { name: 'Focus here' }).click();
  return page.evaluate(() => (window as unknown as { benchDrawn: Promise<number> }).benchDrawn);
}

async function focusFromUrl(browser: Browser, baseURL: string, id: string): Promise<number> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1400, height: 900 } });
  await context.request.post('/api/auth/login', { data: { username: 'admin', password: ADMIN_PASSWORD } });
  const page = await context.newPage();
  await page.goto(`/w/big/lineage?focus=${encodeURIComponent(id)}`, { waitUntil: 'commit' });
  await page.waitForSelector(`.react-flow__node [data-node-id="${id}"].is-focus`, { state: 'attached' });
  // From the start of navigation: loading the shell, the lineage answer and drawing it.
  const drawn = await page.evaluate(() => performance.now());
  await context.close();
  return drawn;
}

export async function benchLineageFocus(port: number): Promise<BenchRow> {
  const { configFile, nodeIds } = generateProject();
  const server = await startServer(port, {
    WORKBENCH_CONFIG: configFile,
    PLUGINS_DIRECTORY: tempDir('wb-bench-b9-p-'),
  });
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1400, height: 900 } });
    await context.request.post('/api/auth/login', { data: { username: 'admin', password: ADMIN_PASSWORD } });
    const page = await context.newPage();
    const clicks: number[] = [];
    for (let i = 0; i < FOCUSES; i++) clicks.push(await focusFromWholeView(page, i));
    const urls: number[] = [];
    for (let i = 0; i < FOCUSES; i++)
      urls.push(await focusFromUrl(browser, server.url, nodeIds[(i * 97) % nodeIds.length]!));
    const click = median(clicks);
    const url = median(urls);
    return {
      id: 'B9',
      what: 'lineage focus on a generated 1,001-node project: click "Focus here" in the whole view → focus drawn; open lineage?focus= → drawn',
      result: `click ${ms(click)} (max ${ms(Math.max(...clicks))}); URL ${ms(url)} from navigation start`,
      target: `click < ${TARGET_MS} ms`,
      pass: click < TARGET_MS,
    };
  } finally {
    await browser.close();
    await server.stop();
  }
}
