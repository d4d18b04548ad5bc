// The one test command (`npm test`): installs Debian's chromium and postgresql if missing, builds, type-checks, runs
// the unit tests (vitest; the database suites once more on a throwaway PostgreSQL) and the browser tests
// (Playwright), and ends with one line summing every runner: "N passed, N failed". Exits non-zero when anything
// failed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { TEST_POSTGRES_ENV } from '../server/testing/postgres.ts';
import { postgresBinaries, startPostgresCluster } from '../server/testing/postgres-cluster.ts';

const root = path.resolve(import.meta.dirname, '..');
const resultsDir = path.join(root, '.test-results');
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}

function run(label: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): boolean {
  console.log(`\n== ${label}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.error) console.error(`${label}: ${result.error.message}`);
  return result.status === 0;
}

/** Runs a tool's JS entry on this same Node (24), never on whatever `node` the PATH finds first. */
function runNode(label: string, entry: string, args: string[], env: NodeJS.ProcessEnv = {}): boolean {
  return run(label, process.execPath, [path.join(root, entry), ...args], env);
}

/**
 * Runs a tool's JS entry on this Node alongside others: its output is held and printed whole when it ends, with how
 * long it took, so concurrent gates never interleave their lines.
 */
function gate(label: string, entry: string, args: string[]): Promise<boolean> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, entry), ...args], { cwd: root });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    let ended = false;
    const done = (ok: boolean, error = '') => {
      if (ended) return;
      ended = true;
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(`\n== ${label} (${seconds} s)\n${output}${error}`.trimEnd());
      resolve(ok);
    };
    child.once('error', (error) => done(false, `${label}: ${error.message}`));
    child.once('close', (code) => done(code === 0));
  });
}

function ensureChromium(): void {
  if (existsSync(chromium)) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `${chromium} is missing. Install Debian's chromium (sudo apt-get install -y chromium) or set CHROMIUM_PATH.`,
    );
  }
  console.log(`${chromium} is missing: installing Debian's chromium`);
  if (
    !run('apt-get update', 'apt-get', ['update', '-qq']) ||
    !run('install chromium', 'apt-get', ['install', '-y', '-qq', 'chromium'])
  ) {
    throw new Error('Could not install chromium with apt-get');
  }
}

/** Installs Debian's PostgreSQL 15 when its initdb and pg_ctl are missing: the PostgreSQL tests need a real one. */
function ensurePostgres(): void {
  if (postgresBinaries()) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      'PostgreSQL 15 is missing. Install it (sudo apt-get install -y postgresql) for the PostgreSQL tests.',
    );
  }
  console.log("PostgreSQL is missing: installing Debian's postgresql");
  if (
    !run('apt-get update', 'apt-get', ['update', '-qq']) ||
    !run('install postgresql', 'apt-get', ['install', '-y', '-qq', 'postgresql'])
  ) {
    throw new Error('Could not install postgresql with apt-get');
  }
}

/**
 * The suites that keep their data in the database, run again against a throwaway PostgreSQL (every test app
 * gets its own database on it). server/db runs both backends in the main pass.
 */
const postgresSuites = [
  'server/auth',
  'server/users',
  'server/tokens',
  'server/sandbox/backend-secret.test.ts',
  // Not server/schedules/replicas.test.ts: it starts its own PostgreSQL in the main pass.
  'server/schedules/schedules.test.ts',
  'server/schedules/plugin-triggers.test.ts',
  'server/runs/runs.test.ts',
  'server/plugins/lifecycle-routes.test.ts',
  'server/plugins/config-routes.test.ts',
  'server/plugins/logs/routes.test.ts',
  'server/plugins/logs/store.test.ts',
  'server/plugins/budgets/store.test.ts',
  'server/plugins/budgets/budgets.test.ts',
  'server/plugins/metrics/feature.test.ts',
  'server/plugins/metrics/cluster-history.test.ts',
  // Install records, package store and rollback: bytes (BYTEA) and the journal on PostgreSQL.
  'server/plugins/installation/install.test.ts',
  'server/plugins/installation/update.test.ts',
  'server/plugins/installation/remove.test.ts',
  'server/plugins/installation/recover.test.ts',
  'server/plugins/installation/rollback.test.ts',
  'server/plugins/package-store/sync.test.ts',
];

async function postgresPass(report: string): Promise<boolean> {
  const cluster = await startPostgresCluster();
  try {
    return runNode(
      'unit tests on PostgreSQL (vitest, DATABASE_URL on a throwaway cluster)',
      'node_modules/vitest/vitest.mjs',
      // Each test app makes its database over loopback: starts take longer than on a SQLite file.
      [
        'run',
        '--testTimeout=40000',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${report}`,
        ...postgresSuites,
      ],
      { [TEST_POSTGRES_ENV]: cluster.url() },
    );
  } finally {
    cluster.destroy();
  }
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

function unitTally(file: string): Tally | undefined {
  const report = readJson<{
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  }>(file);
  return (
    report && {
      passed: report.numPassedTests,
      failed: report.numFailedTests,
      skipped: report.numPendingTests + report.numTodoTests,
    }
  );
}

function browserTally(file: string): Tally | undefined {
  const report = readJson<{ stats: { expected: number; unexpected: number; flaky: number; skipped: number } }>(file);
  return (
    report && {
      passed: report.stats.expected + report.stats.flaky,
      failed: report.stats.unexpected,
      skipped: report.stats.skipped,
    }
  );
}

async function main(): Promise<number> {
  rmSync(resultsDir, { recursive: true, force: true });
  mkdirSync(resultsDir, { recursive: true });
  const total: Tally = { passed: 0, failed: 0, skipped: 0 };
  const add = (label: string, ok: boolean, tally: Tally | undefined) => {
    // A runner that crashed before reporting counts as one failure, so a broken runner never reads as green.
    const t = tally ?? { passed: 0, failed: ok ? 0 : 1, skipped: 0 };
    if (!ok && t.failed === 0) t.failed = 1;
    console.log(`${label}: ${t.passed} passed, ${t.failed} failed${t.skipped ? `, ${t.skipped} skipped` : ''}`);
    total.passed += t.passed;
    total.failed += t.failed;
    total.skipped += t.skipped;
  };

  ensureChromium();
  ensurePostgres();
  const built =
    runNode('build shell and example plugins', 'scripts/build.ts', []) &&
    runNode('build test fixture plugins', 'scripts/build.ts', [
      '--plugins',
      'e2e/fixtures/plugins',
      'e2e/fixtures/live-plugins',
      'e2e/fixtures/rollback',
      'e2e/fixtures/hostile-plugins',
    ]);
  // Build and type-check are gates, not tests: they add a failure when they fail and nothing when they pass.
  add('build', built, { passed: 0, failed: built ? 0 : 1, skipped: 0 });
  // The static gates, in two lanes (one per core of a CI machine): each is single-threaded and reads only files.
  const [[typed, apiReported], [formatted, linted, docsChecked]] = await Promise.all([
    (async () => {
      const typeChecked = await gate('type-check (tsc --noEmit)', 'node_modules/typescript/bin/tsc', [
        '--noEmit',
        '-p',
        'tsconfig.json',
      ]);
      // The SDK's public API (its built declarations, every entry module) against the reviewed reports in
      // packages/plugin-sdk/etc/.
      const reported =
        built &&
        (await gate(
          'SDK API reports (review, then npm run api-report -w packages/plugin-sdk)',
          'scripts/sdk-api-report.ts',
          ['--check'],
        ));
      return [typeChecked, reported];
    })(),
    (async () => [
      await gate('formatting (prettier --check; fix with npm run format)', 'node_modules/prettier/bin/prettier.cjs', [
        '--check',
        '.',
        '--log-level',
        'warn',
      ]),
      await gate('lint (eslint, rules in packages/eslint-config)', 'node_modules/eslint/bin/eslint.js', ['.']),
      await gate('docs drift (scripts/generate-docs.ts --check; fix with npm run docs)', 'scripts/generate-docs.ts', [
        '--check',
      ]),
    ])(),
  ]);
  add('type-check', typed, { passed: 0, failed: typed ? 0 : 1, skipped: 0 });
  add('SDK API report', apiReported, { passed: 0, failed: apiReported ? 0 : 1, skipped: 0 });
  add('formatting', formatted, { passed: 0, failed: formatted ? 0 : 1, skipped: 0 });
  add('lint', linted, { passed: 0, failed: linted ? 0 : 1, skipped: 0 });
  add('docs drift', docsChecked, undefined);

  const unitReport = path.join(resultsDir, 'unit.json');
  const unitOk = runNode('unit tests (vitest)', 'node_modules/vitest/vitest.mjs', [
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${unitReport}`,
  ]);
  add('unit tests', unitOk, unitTally(unitReport));
  const postgresReport = path.join(resultsDir, 'unit-postgres.json');
  const postgresOk = await postgresPass(postgresReport).catch((error: unknown) => {
    console.error(`PostgreSQL pass: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  });
  add('unit tests on PostgreSQL', postgresOk, unitTally(postgresReport));

  if (built) {
    const browserReport = path.join(resultsDir, 'browser.json');
    const browserOk = runNode(
      'browser tests (Playwright, headless chromium)',
      'node_modules/@playwright/test/cli.js',
      ['test', '-c', 'e2e/playwright.config.ts', '--reporter=list,json'],
      { PLAYWRIGHT_JSON_OUTPUT_NAME: browserReport },
    );
    add('browser tests', browserOk, browserTally(browserReport));
  } else {
    add('browser tests', false, undefined);
  }

  console.log(`\n${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
  return total.failed === 0 ? 0 : 1;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  console.log('\n0 passed, 1 failed');
  process.exitCode = 1;
}
