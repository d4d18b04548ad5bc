import type { Browser } from 'playwright';
import { loadUntilRendered, setUiLevel, signedInContext, uiPluginEnv, WORKSPACE } from './plugin-ui-support.ts';
import { loadFromAnotherProcess } from './sandbox-support.ts';
import { adminCookie, launchChromium, median, ms, startServer, tempDir, type BenchRow } from './support.ts';
import { writeWidgetPlugins } from './widget-plugins.ts';

const PLUGINS = 200;
const LOADS = 5;

/** Full answers (no If-None-Match: the costliest case) per second, from a client in another process. */
async function extensionsPerSecond(url: string): Promise<{ perSecond: number; bytes: number }> {
  const cookie = await adminCookie(url);
  const target = `${url}/api/workspaces/${WORKSPACE}/extensions`;
  const bytes = (await (await fetch(target, { headers: { cookie } })).arrayBuffer()).byteLength;
  const result = await loadFromAnotherProcess({
    url: target,
    // As a browser asks: gzip accepted (the server compresses each list once, not per answer).
    headers: { cookie, 'accept-encoding': 'gzip, deflate, br' },
    concurrency: 8,
    count: 50_000,
    maxMs: 5_000,
    warmup: 400,
  });
  if (result.errors > 0)
    throw new Error(`the extensions list failed ${result.errors} times: ${JSON.stringify(result.statuses)}`);
  return { perSecond: result.perSecond, bytes };
}

/** A cold load (new context, empty cache) until the widgets on screen rendered, with the requests it took. */
async function firstScreen(browser: Browser, baseURL: string, expectPlugins: boolean) {
  const context = await signedInContext(browser, baseURL);
  let requests = 0;
  context.on('request', () => (requests += 1));
  try {
    const { ms, shown } = await loadUntilRendered(context, `/w/${WORKSPACE}`, expectPlugins);
    return { ms, shown, requests };
  } finally {
    await context.close();
  }
}

/**
 * SPEC B13, one server with 200 frontend plugins (a dashboard widget each, a real remote with a configuration
 * schema) against none: the extensions list's throughput, and the dashboard until the widgets on screen have
 * rendered (cold loads alternating between the servers, medians; judged in-page as B1 is, isolated reported).
 */
export async function benchManyPlugins(ports: [number, number]): Promise<BenchRow> {
  const dir = tempDir('wb-bench-b13-');
  const names = writeWidgetPlugins(dir, PLUGINS);
  const withPlugins = await startServer(ports[0], { ...uiPluginEnv(dir), PLUGINS_WATCH: 'false' });
  const without = await startServer(ports[1], { PLUGINS_DIRECTORY: tempDir('wb-bench-b13-empty-') }).catch(
    async (error: unknown) => {
      await withPlugins.stop();
      throw error;
    },
  );
  const browser = await launchChromium();
  const times = { none: [] as number[], 'in-page': [] as number[], isolated: [] as number[] };
  const requests = { none: 0, 'in-page': 0, isolated: 0 };
  let shown = 0;
  let list: { none: number; many: number; bytes: number };
  try {
    const none = await extensionsPerSecond(without.url);
    const many = await extensionsPerSecond(withPlugins.url);
    list = { none: none.perSecond, many: many.perSecond, bytes: many.bytes };
    const admin = await signedInContext(browser, withPlugins.url);
    for (const level of ['in-page', 'isolated'] as const) {
      await setUiLevel(admin, names, level);
      await firstScreen(browser, withPlugins.url, true); // warm the server and the disk cache
      await firstScreen(browser, without.url, false);
      for (let i = 0; i < LOADS; i++) {
        const load = await firstScreen(browser, withPlugins.url, true);
        shown = load.shown;
        times[level].push(load.ms);
        requests[level] = load.requests;
        const bare = await firstScreen(browser, without.url, false);
        times.none.push(bare.ms);
        requests.none = bare.requests;
      }
    }
    await admin.close();
  } finally {
    await browser.close();
    await withPlugins.stop();
    await without.stop();
  }
  const throughput = list.many / list.none;
  const none = median(times.none);
  const inPage = median(times['in-page']) / none;
  const isolated = median(times.isolated) / none;
  return {
    id: 'B13',
    what: `${PLUGINS} frontend plugins vs none: the extensions list (full ${Math.round(list.bytes / 1024)} KB answers, gzip accepted as browsers do, 8 connections, 5 s); the dashboard until the widgets on screen (${shown}) rendered, cold, median of ${LOADS} per level`,
    result: `list ${Math.round(list.many)} vs ${Math.round(list.none)} req/s = ${throughput.toFixed(2)}x; dashboard none ${ms(none)} (${requests.none} requests); in-page ${ms(median(times['in-page']))} = ${inPage.toFixed(2)}x (${requests['in-page']} requests); isolated ${ms(median(times.isolated))} = ${isolated.toFixed(2)}x (${requests.isolated} requests)`,
    target: 'list at least 0.5x; dashboard at most 2x in-page',
    pass: throughput >= 0.5 && inPage <= 2,
  };
}
