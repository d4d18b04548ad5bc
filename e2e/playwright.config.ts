import { defineConfig } from '@playwright/test';

/** Ports on loopback only; two servers: one with the fixture plugins, one in plugin-disabled mode. */
export const ports = { plugins: 4810, disabled: 4811 };

const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

function server(port: number, env: Record<string, string>) {
  const dataDir = `.test-results/e2e-data-${port}`;
  // The same Node that runs Playwright (Node 24 from node_modules/.bin), whatever the system has.
  const node = `"${process.execPath}"`;
  return {
    // Each run starts from an empty data directory: a fresh database and the first admin below.
    command: `${node} -e "require('fs').rmSync('${dataDir}', { recursive: true, force: true })" && ${node} server/main.ts`,
    cwd: '..',
    url: `http://127.0.0.1:${port}/api/info`,
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      PLUGINS_DIRECTORY: 'e2e/fixtures/plugins',
      WORKBENCH_DATA_DIR: dataDir,
      WORKBENCH_ADMIN_USERNAME: 'admin',
      WORKBENCH_ADMIN_PASSWORD: 'e2e-admin-password',
      ...env,
    },
    reuseExistingServer: false,
    timeout: 30_000,
  };
}

export default defineConfig({
  testDir: '.',
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs },
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'plugins', testMatch: /(?<!system-disabled)\.spec\.ts$/, use: { baseURL: `http://127.0.0.1:${ports.plugins}` } },
    {
      name: 'plugin-system-disabled',
      testMatch: /plugin-system-disabled\.spec\.ts$/,
      use: { baseURL: `http://127.0.0.1:${ports.disabled}` },
    },
  ],
  webServer: [server(ports.plugins, {}), server(ports.disabled, { PLUGIN_SYSTEM_ENABLED: 'false' })],
});
