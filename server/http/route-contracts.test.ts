import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { routeTable } from '../testing/route-table.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { contractRoutes } from './contract-route.ts';

/**
 * Routes that answer no JSON body of their own: files, frames, event streams, proxies. They keep no contract. (The
 * shell's routes are served only with a built shell, which the test app lacks.)
 */
const streams = [
  'GET /',
  'GET /*',
  'GET /plugins/:name/:revision/*',
  'GET /plugin-frames/:name/:revision/',
  'GET /isolation/*',
  'GET /api/events',
  'GET /api/plugins/:name/logs/stream',
  'GET /api/marketplace/packages/:name/:version/static/*',
  'GET /api/workspaces/:workspace/plugin-data/:plugin/*',
  'POST /api/workspaces/:workspace/plugin-data/:plugin/*',
  // MCP's own protocol (JSON-RPC over streamable HTTP), checked by the MCP SDK.
  'GET /mcp/:workspace',
  'POST /mcp/:workspace',
  'DELETE /mcp/:workspace',
  ...['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].flatMap((m) => [`${m} /api/ext/:plugin`, `${m} /api/ext/:plugin/*`]),
];

/** Routes not converted yet (issue 15 item 6): this list only shrinks; the test fails on a converted one left here. */
const notYetConverted: string[] = [];

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('the HTTP contract', () => {
  test('every route answering JSON is registered from a contract with a response schema', () => {
    const routes = routeTable(app.server).filter((r) => r.method !== 'HEAD');
    const named = routes.map((r) => `${r.method} ${r.path}`);
    const contracts = contractRoutes(app.server);
    const contracted = routes.filter((r) => {
      const contract = contracts.get(`${r.method} ${r.path}`);
      return contract !== undefined && Object.keys(contract.responses).length > 0;
    });
    const withContract = contracted.map((r) => `${r.method} ${r.path}`);
    const missing = named.filter((r) => !withContract.includes(r) && !streams.includes(r));
    expect(
      missing.filter((r) => !notYetConverted.includes(r)),
      'routes without a contract',
    ).toEqual([]);
    expect(
      notYetConverted.filter((r) => withContract.includes(r)),
      'converted: remove from notYetConverted',
    ).toEqual([]);
    expect(
      notYetConverted.filter((r) => !named.includes(r)),
      'listed but not served',
    ).toEqual([]);
  });
});

/** Shell files still calling `fetchJson<T>` (a cast of the body, not a parse): this list only shrinks. */
const shellFilesNotYetConverted: string[] = [];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(file);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [file] : [];
  });
}

describe('the shell reads API bodies through contracts', () => {
  test('no fetchJson<T> cast of an API body is left in the shell', () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const casting = sources(path.join(root, 'shell'))
      .filter((file) => /\bfetchJson\s*(<|\()/.test(readFileSync(file, 'utf8')))
      .map((file) => path.relative(root, file))
      .filter((file) => file !== 'shell/api/client.ts');
    expect(
      casting.filter((f) => !shellFilesNotYetConverted.includes(f)),
      'shell files casting API bodies',
    ).toEqual([]);
    expect(
      shellFilesNotYetConverted.filter((f) => !casting.includes(f)),
      'converted: remove from shellFilesNotYetConverted',
    ).toEqual([]);
  });
});
