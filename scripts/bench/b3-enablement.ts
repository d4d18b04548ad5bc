import { cpSync } from 'node:fs';
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

const TOGGLES = 10;

/**
 * SPEC B3: an admin disables or enables a plugin; the clock runs from the API request to the open shell
 * (another page) having removed or shown the plugin's widget.
 */
export async function benchEnablement(port: number): Promise<BenchRow> {
  const pluginsDir = tempDir('wb-bench-b3-');
  cpSync(path.join(root, 'e2e/fixtures/live-plugins/live-widget'), path.join(pluginsDir, 'live-widget'), {
    recursive: true,
  });
  buildPlugins('--plugin', path.join(pluginsDir, 'live-widget'));
  const server = await startServer(port, { PLUGINS_DIRECTORY: pluginsDir });
  const browser = await launchChromium();
  const times: number[] = [];
  try {
    const context = await browser.newContext({ baseURL: server.url });
    await context.request.post('/api/auth/login', { data: { username: 'admin', password: ADMIN_PASSWORD } });
    const page = await context.newPage();
    await page.goto('/w/jaffle-shop-classic');
    await page.getByTestId('live-message').waitFor();
    for (let i = 0; i < TOGGLES; i++) {
      const enable = i % 2 === 1;
      const updated = page.waitForFunction(
        (shown) => Boolean(document.querySelector('[data-testid="live-message"]')) === shown,
        enable,
        { polling: 'raf', timeout: 10_000 },
      );
      const started = performance.now();
      const response = await context.request.post(`/api/plugins/live-widget/${enable ? 'enable' : 'disable'}`, {
        data: {},
      });
      if (!response.ok()) throw new Error(`toggle failed: ${response.status()} ${await response.text()}`);
      await updated;
      times.push(performance.now() - started);
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  const p50 = median(times);
  return {
    id: 'B3',
    what: `enable/disable to an open shell's UI updated (${TOGGLES} toggles)`,
    result: `median ${ms(p50)}, p90 ${ms(percentile(times, 90))}`,
    target: 'under 0.5 s',
    pass: percentile(times, 90) < 500,
  };
}
