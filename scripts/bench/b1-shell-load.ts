import type { Browser } from 'playwright';
import {
  loadUntilRendered,
  setUiLevel,
  signedInContext,
  uiPluginEnv,
  WORKSPACE,
  writeUiPlugins,
} from './plugin-ui-support.ts';
import { launchChromium, median, ms, startServer, tempDir, type BenchRow } from './support.ts';

const PLUGINS = 25;
const LOADS = 9;

/** One cold load (a new browser context: empty cache) of the dashboard until its plugin UI on screen rendered. */
async function coldLoad(browser: Browser, baseURL: string, expectPlugins: boolean) {
  const context = await signedInContext(browser, baseURL);
  try {
    return await loadUntilRendered(context, `/w/${WORKSPACE}`, expectPlugins);
  } finally {
    await context.close();
  }
}

/**
 * SPEC B1: the dashboard with 25 enabled plugins (each a tab and a widget that reads the host's data) against
 * none, from navigation until every plugin contribution on screen has rendered, at each UI trust level. Cold
 * loads alternate between the two servers; medians.
 */
export async function benchShellLoad(ports: [number, number]): Promise<BenchRow> {
  const { dir, names } = writeUiPlugins(PLUGINS, 'load');
  const withPlugins = await startServer(ports[0], uiPluginEnv(dir));
  const without = await startServer(ports[1], { PLUGINS_DIRECTORY: tempDir('wb-bench-b1-empty-') });
  const browser = await launchChromium();
  const times = { none: [] as number[], 'in-page': [] as number[], isolated: [] as number[] };
  let shown = 0;
  try {
    const admin = await signedInContext(browser, withPlugins.url);
    for (const level of ['in-page', 'isolated'] as const) {
      await setUiLevel(admin, names, level);
      await coldLoad(browser, withPlugins.url, true); // warm the server and the disk cache
      await coldLoad(browser, without.url, false);
      for (let i = 0; i < LOADS; i++) {
        const load = await coldLoad(browser, withPlugins.url, true);
        shown = load.shown;
        times[level].push(load.ms);
        times.none.push((await coldLoad(browser, without.url, false)).ms);
      }
    }
    await admin.close();
  } finally {
    await browser.close();
    await withPlugins.stop();
    await without.stop();
  }
  const none = median(times.none);
  const inPage = median(times['in-page']) / none;
  const isolated = median(times.isolated) / none;
  return {
    id: 'B1',
    what: `dashboard with ${PLUGINS} plugins vs none, navigation until every plugin widget on screen (${shown}) has rendered, cold, median of ${LOADS} per level`,
    result: `none ${ms(none)}; in-page ${ms(median(times['in-page']))} = ${inPage.toFixed(2)}x; isolated ${ms(median(times.isolated))} = ${isolated.toFixed(2)}x`,
    target: 'at most 1.10x in-page',
    pass: inPage <= 1.1,
  };
}
