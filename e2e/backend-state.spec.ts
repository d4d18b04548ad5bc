import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { ADMIN, signInAs } from './fixtures.ts';

// What the Plugins page says of a plugin's backend is what it is doing (issue 13 item 3), followed live: `loading`
// while it starts, `error` with the reason while it keeps exiting, `active` once it answers. On a server of its own,
// whose plugins need no approval (no capabilities), so no other test sees them.

const root = path.resolve(import.meta.dirname, '..');
const dir = path.join(root, '.test-results/e2e-backend-state');

function writePlugin(name: string, activate: string): void {
  const folder = path.join(dir, 'plugins', name);
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
  writeFileSync(path.join(folder, 'backend', 'index.ts'), `export async function activate() {\n${activate}\n}\n`);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startServer(): Promise<{ url: string; child: ChildProcess }> {
  rmSync(dir, { recursive: true, force: true });
  execFileSync(process.execPath, ['e2e/prepare-server.ts', dir], { cwd: root });
  // Its backend answers 4 s after it starts; the other exits at every start.
  writePlugin('slow-start', '  await new Promise((resolve) => setTimeout(resolve, 4000));');
  writePlugin('exits-at-start', '  setTimeout(() => process.exit(3), 20);');
  const port = await freePort();
  const child = spawn(process.execPath, ['server/main.ts'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'error',
      PLUGINS_DIRECTORY: path.join(dir, 'plugins'),
      WORKBENCH_CONFIG: path.join(dir, 'workbench.config.json'),
      WORKBENCH_DATA_DIR: path.join(dir, 'data'),
      WORKBENCH_ADMIN_USERNAME: ADMIN.username,
      WORKBENCH_ADMIN_PASSWORD: ADMIN.password,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  for (let tries = 0; ; tries++) {
    const up = await fetch(`${url}/api/info`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (tries > 150 || child.exitCode !== null) throw new Error(`the backend-state server did not start on ${url}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, child };
}

const test = base.extend<{ page: Page }, { stateServer: string }>({
  stateServer: [
    async ({}, use) => {
      const { url, child } = await startServer();
      await use(url);
      child.kill();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  baseURL: async ({ stateServer }, use) => use(stateServer),
  page: async ({ page }, use) => {
    await signInAs(page, ADMIN.username, ADMIN.password);
    await use(page);
  },
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
