import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright';
import { testManifest } from '../../shared/testing/manifests.ts';
import {
  ADMIN_PASSWORD,
  buildPlugins,
  launchChromium,
  median,
  ms,
  startServer,
  tempDir,
  type BenchRow,
} from './support.ts';

const PLUGINS = 25;
const LOADS = 15;

/** Writes and builds `count` plugins, each with a tab, a page and a dashboard widget. */
function writeLoadPlugins(count: number): string {
  const dir = tempDir('wb-bench-b1-');
  for (let i = 0; i < count; i++) {
    const name = `load-plugin-${i}`;
    const pluginDir = path.join(dir, name);
    mkdirSync(path.join(pluginDir, 'src'), { recursive: true });
    const manifest = testManifest(name, {
      compatibility: { workbench: '*', pluginApi: 1 },
      frontend: {
        remote: 'mf-manifest.json',
        contributions: [
          { slot: 'nav.tab', id: 'tab', title: `Plugin ${i}`, path: `load-${i}`, module: './Page' },
          { slot: 'dashboard.widget', id: 'widget', module: './Widget' },
        ],
      },
    });
    writeFileSync(path.join(pluginDir, 'manifest.json'), JSON.stringify(manifest));
    writeFileSync(
      path.join(pluginDir, 'src', 'Page.tsx'),
      `export default function Page() { return <h1>Plugin ${i}</h1>; }\n`,
    );
    writeFileSync(
      path.join(pluginDir, 'src', 'Widget.tsx'),
      `export default function Widget() { return <p>Widget ${i}</p>; }\n`,
    );
  }
  buildPlugins('--plugins', dir);
  return dir;
}

interface Load {
  renderMs: number;
  scripts: number;
  scriptBytes: number;
}

async function loadOnce(browser: Browser, baseURL: string, route: string): Promise<Load> {
  const context = await browser.newContext({ baseURL });
  await context.request.post('/api/auth/login', { data: { username: 'admin', password: ADMIN_PASSWORD } });
  const page = await context.newPage();
  const bodies: Promise<number>[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() === 'script') bodies.push(response.body().then((b) => b.length));
  });
  await page.goto(route);
  await page.waitForFunction(() => performance.getEntriesByName('wb:shell-rendered').length > 0);
  const renderMs = await page.evaluate(() => performance.getEntriesByName('wb:shell-rendered')[0]!.startTime);
  await page.waitForLoadState('networkidle');
  const sizes = await Promise.all(bodies);
  await context.close();
  return { renderMs, scripts: sizes.length, scriptBytes: sizes.reduce((a, b) => a + b, 0) };
}

/**
 * SPEC B1: shell load with 25 enabled plugins against none, on a page that shows no plugin UI. Cold
 * loads (a new browser context each), alternating between two servers, median of each.
 */
export async function benchShellLoad(
  ports: [number, number],
  route = '/w/jaffle-shop-classic/models',
): Promise<BenchRow> {
  const withPlugins = await startServer(ports[0], { PLUGINS_DIRECTORY: writeLoadPlugins(PLUGINS) });
  const without = await startServer(ports[1], { PLUGINS_DIRECTORY: tempDir('wb-bench-b1-empty-') });
  const browser = await launchChromium();
  const loads = { with: [] as Load[], without: [] as Load[] };
  try {
    await loadOnce(browser, withPlugins.url, route); // warm the servers and the disk cache
    await loadOnce(browser, without.url, route);
    for (let i = 0; i < LOADS; i++) {
      loads.with.push(await loadOnce(browser, withPlugins.url, route));
      loads.without.push(await loadOnce(browser, without.url, route));
    }
  } finally {
    await browser.close();
    await withPlugins.stop();
    await without.stop();
  }
  const render = {
    with: median(loads.with.map((l) => l.renderMs)),
    without: median(loads.without.map((l) => l.renderMs)),
  };
  const ratio = render.with / render.without;
  const scripts = {
    with: median(loads.with.map((l) => l.scripts)),
    without: median(loads.without.map((l) => l.scripts)),
  };
  const kib = (bytes: number) => `${Math.round(bytes / 1024)} KiB`;
  return {
    id: 'B1',
    what: `shell load, ${PLUGINS} plugins vs none, page without plugin UI (median of ${LOADS} cold loads)`,
    result: `first render ${ms(render.with)} vs ${ms(render.without)} = ${ratio.toFixed(2)}x; scripts ${scripts.with} vs ${scripts.without} (${kib(median(loads.with.map((l) => l.scriptBytes)))} vs ${kib(median(loads.without.map((l) => l.scriptBytes)))})`,
    target: 'at most 1.10x',
    pass: ratio <= 1.1,
  };
}
