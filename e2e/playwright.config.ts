import { defineConfig } from '@playwright/test';

/**
 * Ports on loopback only; five servers: one with the fixture plugins, one in plugin-disabled mode, one whose
 * plugins directory the live-update tests change while browsers are open, one judging plugin budgets
 * over short windows, and one whose plugins the isolated-UI tests install.
 */
export const ports = { plugins: 4810, disabled: 4811, live: 4812, budgets: 4813, isolated: 4814 };

/** The plugins directory of the live-update server, a copy of e2e/fixtures/live-plugins made at its start. */
export const livePluginsDir = '.test-results/e2e-live-plugins';

const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

// The same Node that runs Playwright (Node 24 from node_modules/.bin), whatever the system has.
const node = `"${process.execPath}"`;

function server(port: number, env: Record<string, string>, plugins?: { from: string; to: string }) {
  const dir = `.test-results/e2e-${port}`;
  const copyPlugins = plugins ? ` ${plugins.from} ${plugins.to}` : '';
  return {
    // Each run starts from an empty data directory (a fresh database and the first admin below) and
    // its own copy of the demo workspaces.
    command: `${node} e2e/prepare-server.ts ${dir}${copyPlugins} && ${node} server/main.ts`,
    cwd: '..',
    url: `http://127.0.0.1:${port}/api/info`,
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      PLUGINS_DIRECTORY: 'e2e/fixtures/plugins',
      WORKBENCH_CONFIG: `${dir}/workbench.config.json`,
      WORKBENCH_DATA_DIR: `${dir}/data`,
      WORKBENCH_ADMIN_USERNAME: 'admin',
      WORKBENCH_ADMIN_PASSWORD: 'e2e-admin-password',
      DBT_SIMULATE_DELAY_MS: '5',
      PLUGIN_CATALOG: 'e2e/fixtures/marketplace',
      PLUGIN_LOAD_TIMEOUT_MS: '3000',
      ...env,
    },
    reuseExistingServer: false,
    timeout: 30_000,
  };
}

export default defineConfig({
  testDir: '.',
  timeout: 60_000,
  // Isolated plugin frames boot a document and a runtime each; on a busy 2-core machine that can take seconds.
  expect: { timeout: 15_000 },
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
    {
      name: 'live-updates',
      testMatch: /(live-updates|devkit|cross-origin|approval-path)\.spec\.ts$/,
      use: { baseURL: `http://127.0.0.1:${ports.live}` },
    },
    {
      name: 'plugins',
      testMatch:
        /(?<!system-disabled|live-updates|devkit|cross-origin|approval-path|budgets|isolated-ui|ui-levels|replicas)\.spec\.ts$/,
      use: { baseURL: `http://127.0.0.1:${ports.plugins}` },
    },
    {
      name: 'plugin-system-disabled',
      testMatch: /plugin-system-disabled\.spec\.ts$/,
      use: { baseURL: `http://127.0.0.1:${ports.disabled}` },
    },
    {
      name: 'budgets',
      testMatch: /budgets\.spec\.ts$/,
      use: { baseURL: `http://127.0.0.1:${ports.budgets}` },
    },
    {
      // One spec at a time: both install plugins and switch their UI trust level on the same server. A screen tall
      // enough for every widget of the dashboard and the model page's side column: contributions load only once on
      // screen, and these tests need all of them running at once (the hostile ones attacking side by side).
      name: 'isolated-ui',
      testMatch: /(isolated-ui|ui-levels)\.spec\.ts$/,
      workers: 1,
      use: { baseURL: `http://127.0.0.1:${ports.isolated}`, viewport: { width: 1280, height: 3000 } },
    },
    {
      // Starts its own PostgreSQL cluster and two servers on free ports (two replicas behind no proxy): no baseURL.
      name: 'replicas',
      testMatch: /replicas\.spec\.ts$/,
    },
  ],
  webServer: [
    // A private copy of the fixture plugins: installs and removals in tests never touch the repository.
    server(
      ports.plugins,
      { PLUGINS_DIRECTORY: `.test-results/e2e-${ports.plugins}-plugins` },
      { from: 'e2e/fixtures/plugins', to: `.test-results/e2e-${ports.plugins}-plugins` },
    ),
    server(ports.disabled, { PLUGIN_SYSTEM_ENABLED: 'false' }),
    // Pinned remotes (cross-origin.spec.ts) are compared with what their origin serves every second.
    server(
      ports.live,
      { PLUGINS_DIRECTORY: livePluginsDir, PLUGIN_REMOTE_CHECK_INTERVAL_S: '1' },
      { from: 'e2e/fixtures/live-plugins', to: livePluginsDir },
    ),
    // Budgets judged over 1 s of 100 ms points, from 3 calls on: a failing plugin trips within seconds.
    server(
      ports.budgets,
      {
        PLUGINS_DIRECTORY: `.test-results/e2e-${ports.budgets}-plugins`,
        PLUGIN_AUTO_APPROVE: 'extend-api',
        PLUGIN_METRICS_INTERVAL_MS: '100',
        PLUGIN_BUDGET_WINDOW_S: '1',
        PLUGIN_BUDGET_MIN_CALLS: '3',
      },
      { from: 'e2e/fixtures/budget-plugins', to: `.test-results/e2e-${ports.budgets}-plugins` },
    ),
    // Starts with no plugins: isolated-ui.spec.ts and ui-levels.spec.ts install theirs through the public path.
    server(
      ports.isolated,
      { PLUGINS_DIRECTORY: `.test-results/e2e-${ports.isolated}-plugins` },
      { from: '-', to: `.test-results/e2e-${ports.isolated}-plugins` },
    ),
  ],
});
