import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from '@playwright/test';
import { testOnOwnServer } from './own-server.ts';

// What the Plugins page says of a plugin's backend is what it is doing (issue 13 item 3), followed live: `loading`
// while it starts, `error` with the reason while it keeps exiting, `active` once it answers. On a server of its own,
// whose plugins need no approval (no capabilities), so no other test sees them.

function writePlugin(pluginsDir: string, name: string, activate: string): void {
  const folder = path.join(pluginsDir, name);
  mkdirSync(path.join(folder, 'backend'), { recursive: true });
  const manifest = {
    name,
    version: '1.0.0',
    displayName: name === 'slow-start' ? 'Slow start' : 'Exits at start',
    description: 'A backend for the state tests',
    author: { name: 'Workbench tests' },
    compatibility: { workbench: '^0.1.0', pluginApi: 1 },
    capabilities: [],
    backend: { entry: 'index.ts' },
  };
  writeFileSync(path.join(folder, 'manifest.json'), JSON.stringify(manifest));
  writeFileSync(path.join(folder, 'backend', 'index.ts'), `export async function activate(host) {\n${activate}\n}\n`);
}

const test = testOnOwnServer({
  name: 'backend-state',
  // Its backend answers 4 s after it starts; the other exits at every start. The slow one listens to its own
  // on-plugin-load so it starts when enabled: a backend without it would sleep until first use once the server
  // remembers its registrations, and whether that memory exists would depend on how fast the server started.
  writePlugins: (pluginsDir) => {
    writePlugin(
      pluginsDir,
      'slow-start',
      "  await host.events.on('on-plugin-load', () => {});\n  await new Promise((resolve) => setTimeout(resolve, 4000));",
    );
    writePlugin(pluginsDir, 'exits-at-start', '  setTimeout(() => process.exit(3), 20);');
  },
  timeout: 50_000,
});

test('the Plugins page follows a backend starting, answering, and exiting at every start, without a reload', async ({
  page,
}) => {
  const card = (name: string) => page.locator(`[data-testid="plugin-card"][data-plugin="${name}"]`);
  // Switched off and on again, so its backend starts while the page is open.
  expect((await page.request.post('/api/plugins/slow-start/disable')).status()).toBe(200);
  await page.goto('/admin/plugins');
  await expect(card('slow-start').getByTestId('plugin-state')).toHaveText('disabled');
  const enabled = await page.request.post('/api/plugins/slow-start/enable');
  expect((await enabled.json()).state).toBe('loading');
  await expect(card('slow-start').getByTestId('plugin-state')).toHaveText('loading');
  await expect(card('slow-start').getByTestId('plugin-reason')).toHaveText('its backend is starting');
  await expect(card('slow-start').getByTestId('plugin-state')).toHaveText('active');
  await expect(card('slow-start').getByTestId('plugin-reason')).toHaveCount(0);

  const exits = card('exits-at-start');
  await expect(exits.getByTestId('plugin-state')).toHaveText('error');
  await expect(exits.getByTestId('plugin-reason')).toContainText('exited with code 3');
  // Still switched on: the admin can switch it off from its card.
  await expect(exits.getByRole('checkbox', { name: 'Enabled by default in every workspace' })).toBeChecked();
  await expect(exits.getByRole('button', { name: 'Disable everywhere…' })).toBeVisible();
  await page.screenshot({ path: '.test-results/backend-state.png', fullPage: true });
});
