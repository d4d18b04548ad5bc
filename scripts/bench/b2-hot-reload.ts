import { cpSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  ADMIN_PASSWORD,
  buildPlugins,
  launchChromium,
  median,
  ms,
  percentile,
  root,
  startServer,
  tempDir,
  type BenchRow,
} from './support.ts';

const RELOADS = 10;

const build = (pluginDir: string) => buildPlugins('--plugin', pluginDir);

function setMessage(pluginDir: string, message: string): void {
  const file = path.join(pluginDir, 'src', 'message.ts');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/message = '.*'/, `message = '${message}'`));
}

/**
 * SPEC B2: a changed plugin on disk to its new UI shown in an open browser. Each new build is made in a
 * staging copy, then swapped into the plugins directory; the clock starts at the swap and stops when the
 * open page shows the new text.
 */
export async function benchHotReload(port: number): Promise<BenchRow> {
  const pluginsDir = tempDir('wb-bench-b2-plugins-');
  const stagingDir = tempDir('wb-bench-b2-staging-');
  cpSync(path.join(root, 'e2e/fixtures/live-plugins/live-widget'), path.join(pluginsDir, 'live-widget'), {
    recursive: true,
  });
  cpSync(path.join(root, 'e2e/fixtures/live-plugins/live-widget'), path.join(stagingDir, 'live-widget'), {
    recursive: true,
  });
  const live = path.join(pluginsDir, 'live-widget');
  const staging = path.join(stagingDir, 'live-widget');
  setMessage(live, 'Build 0');
  build(live);

  const server = await startServer(port, { PLUGINS_DIRECTORY: pluginsDir });
  const browser = await launchChromium();
  const times: number[] = [];
  try {
    const page = await browser.newPage({ baseURL: server.url });
    await page.request.post('/api/auth/login', { data: { username: 'admin', password: ADMIN_PASSWORD } });
    await page.goto('/w/jaffle-shop-classic');
    await page.getByTestId('live-message').filter({ hasText: 'Build 0' }).waitFor();
    for (let i = 1; i <= RELOADS; i++) {
      setMessage(staging, `Build ${i}`);
      build(staging);
      const shown = page.waitForFunction(
        (text) => document.querySelector('[data-testid="live-message"]')?.textContent === text,
        `Build ${i}`,
        { polling: 'raf', timeout: 15_000 },
      );
      const started = performance.now();
      renameSync(path.join(live, 'frontend'), path.join(live, 'frontend-old'));
      renameSync(path.join(staging, 'frontend'), path.join(live, 'frontend'));
      await shown;
      times.push(performance.now() - started);
      rmSync(path.join(live, 'frontend-old'), { recursive: true, force: true });
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  const p50 = median(times);
  return {
    id: 'B2',
    what: `hot reload: new build on disk to new UI in an open browser (${RELOADS} reloads)`,
    result: `median ${ms(p50)}, p90 ${ms(percentile(times, 90))}`,
    target: 'median under 1 s',
    pass: p50 < 1000,
  };
}
