import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { expect, inWorkspace, test } from './fixtures.ts';
import { livePluginsDir } from './playwright.config.ts';

const root = path.resolve(import.meta.dirname, '..');
const work = path.join(root, '.test-results', 'cross-origin');
const REMOTE_PORT = 4820;
const cli = (...args: string[]) =>
  execFileSync(process.execPath, [path.join(root, 'cli/main.ts'), ...args], { cwd: root, stdio: 'pipe' });

/** A second origin on loopback, as a plugin team's own CDN would be: serves built remotes with CORS. */
function serveRemotes(dir: string): Promise<Server> {
  const server = createServer((request, response) => {
    const file = path.join(dir, decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
    if (!file.startsWith(dir)) return void response.writeHead(403).end();
    try {
      const body = readFileSync(file);
      const type = file.endsWith('.json') ? 'application/json' : 'text/javascript';
      response.writeHead(200, { 'content-type': type, 'access-control-allow-origin': '*' }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(REMOTE_PORT, '127.0.0.1', () => resolve(server)));
}

/** Builds version `version` of the plugin, with its greeting, and publishes its remote under /<version>/. */
function publish(version: string, words: string): void {
  const dir = path.join(work, 'cdn-widget');
  const greeting = path.join(dir, 'src', 'greeting.ts');
  writeFileSync(greeting, readFileSync(greeting, 'utf8').replace(/Hello[^$`]*from/, `${words} from`));
  const manifestFile = path.join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  manifest.version = version;
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
  cli('build', dir);
  rmSync(path.join(work, 'cdn', version), { recursive: true, force: true });
  execFileSync('cp', ['-r', path.join(dir, 'frontend'), path.join(work, 'cdn', version)]);
  // The app's copy has only the manifest: its frontend lives on the other origin.
  const installed = path.join(root, livePluginsDir, 'cdn-widget');
  mkdirSync(installed, { recursive: true });
  manifest.frontend.remote = `http://127.0.0.1:${REMOTE_PORT}/${version}/mf-manifest.json`;
  writeFileSync(path.join(installed, 'manifest.json'), JSON.stringify(manifest, null, 2));
}

test('a remote deployed on its own origin loads and updates like a local one', async ({ page }) => {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(path.join(work, 'cdn'), { recursive: true });
  cli('create', 'cdn-widget', '--dir', work);
  const server = await serveRemotes(path.join(work, 'cdn'));
  try {
    publish('1.0.0', 'Hello');
    await page.goto(inWorkspace());
    const greeting = page.getByTestId('cdn-widget-greeting');
    await expect(greeting).toContainText('Hello from', { timeout: 10_000 });
    await page.evaluate(() => Object.assign(window, { __sameDocument: true }));

    publish('1.1.0', 'Greetings');
    await expect(greeting).toContainText('Greetings from', { timeout: 10_000 });
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  } finally {
    server.close();
    rmSync(path.join(root, livePluginsDir, 'cdn-widget'), { recursive: true, force: true });
  }
});
