import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright';
import {
  loadUntilRendered,
  setUiLevel,
  signedInContext,
  uiPluginEnv,
  WORKSPACE,
  writeUiPlugins,
} from './plugin-ui-support.ts';
import { launchChromium, median, ms, startServer, type BenchRow } from './support.ts';

const PLUGINS = 10;
const LOADS = 7;
const PANEL_VISITS = 15;
const MODEL = 'model.jaffle_shop.customers';

type Level = 'in-page' | 'isolated';

/** The browser's memory: its processes listed through CDP, each one's proportional set size from /proc. */
async function browserMemoryMb(browser: Browser): Promise<number> {
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { id: number }[] };
  await cdp.detach();
  let kb = 0;
  for (const { id } of processInfo) {
    try {
      const pss = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${id}/smaps_rollup`, 'utf8'));
      kb += Number(pss?.[1] ?? 0);
    } catch {
      // a process that ended since it was listed holds no memory
    }
  }
  return kb / 1024;
}

async function coldDashboard(browser: Browser, baseURL: string): Promise<number> {
  const context = await signedInContext(browser, baseURL);
  try {
    return (await loadUntilRendered(context, `/w/${WORKSPACE}`, true)).ms;
  } finally {
    await context.close();
  }
}

/** Model page visits in one context (warm cache after the first): navigation until the plugin's panel rendered. */
async function warmPanels(browser: Browser, baseURL: string): Promise<number> {
  const context = await signedInContext(browser, baseURL);
  const samples: number[] = [];
  try {
    for (let i = 0; i <= PANEL_VISITS; i++) {
      const { page, ms } = await loadUntilRendered(context, `/w/${WORKSPACE}/models/${MODEL}`, true);
      if (i > 0) samples.push(ms);
      await page.close();
    }
  } finally {
    await context.close();
  }
  return median(samples);
}

/** A fresh browser showing the dashboard with every widget rendered: its memory after things settle. */
async function dashboardMemory(baseURL: string): Promise<number> {
  const browser = await launchChromium();
  try {
    const context = await signedInContext(browser, baseURL);
    const { page } = await loadUntilRendered(context, `/w/${WORKSPACE}`, true);
    await page.waitForTimeout(1500);
    return await browserMemoryMb(browser);
  } finally {
    await browser.close();
  }
}

/**
 * SPEC B9: the same 10 plugins (dashboard widget and model panel, each reading host data) isolated and in-page:
 * the dashboard until all widgets on screen rendered (cold), a model page's panels (warm cache), and the
 * browser's memory with the dashboard open.
 */
export async function benchIsolatedUi(port: number): Promise<BenchRow> {
  const { dir, names } = writeUiPlugins(PLUGINS, 'iso', true);
  const server = await startServer(port, uiPluginEnv(dir));
  const browser = await launchChromium();
  const dashboard: Record<Level, number[]> = { 'in-page': [], isolated: [] };
  const panels = {} as Record<Level, number>;
  const memory = {} as Record<Level, number>;
  try {
    const admin = await signedInContext(browser, server.url);
    for (const level of ['in-page', 'isolated'] as const) {
      await setUiLevel(admin, names, level);
      await coldDashboard(browser, server.url); // warm the server
      for (let i = 0; i < LOADS; i++) dashboard[level].push(await coldDashboard(browser, server.url));
      panels[level] = await warmPanels(browser, server.url);
      memory[level] = await dashboardMemory(server.url);
    }
    await admin.close();
  } finally {
    await browser.close();
    await server.stop();
  }
  const ratio = median(dashboard.isolated) / median(dashboard['in-page']);
  const panelGap = panels.isolated - panels['in-page'];
  const addedMb = memory.isolated - memory['in-page'];
  return {
    id: 'B9',
    what: `${PLUGINS} widgets isolated vs in-page: dashboard until all rendered (cold, median of ${LOADS}); a model panel's first render, navigation to rendered (warm, median of ${PANEL_VISITS}); browser memory with the dashboard open (PSS of its processes)`,
    result: `dashboard ${ms(median(dashboard.isolated))} vs ${ms(median(dashboard['in-page']))} = ${ratio.toFixed(2)}x; panel ${ms(panels.isolated)} vs ${ms(panels['in-page'])} (+${ms(panelGap)}); memory ${Math.round(memory.isolated)} vs ${Math.round(memory['in-page'])} MB (+${Math.round(addedMb)} MB)`,
    target: 'at most 1.5x; within 150 ms; under 150 MB added',
    pass: ratio <= 1.5 && panelGap <= 150 && addedMb < 150,
  };
}
