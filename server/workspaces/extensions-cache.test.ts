import { mkdirSync, writeFileSync } from 'node:fs';
import { get as httpGet, type IncomingHttpHeaders } from 'node:http';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { remoteNameFor } from '@dbt-workbench/plugin-sdk/contracts/versions';
import { afterEach, describe, expect, test } from 'vitest';
import { testManifest } from '../../shared/testing/manifests.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { acceptsGzip } from '../http/contract-route.ts';
import { matchesEtag } from './extensions-cache.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** One widget plugin with a configuration schema and a capability an admin must approve. */
async function start(): Promise<{ base: string; cookie: string }> {
  app = await startTestApp({
    workspaces: [{ name: 'alpha' }, { name: 'beta' }],
    prepare(dir) {
      const folder = path.join(dir, 'plugins', 'gauge');
      mkdirSync(path.join(folder, 'frontend'), { recursive: true });
      const remote = { name: remoteNameFor('gauge'), exposes: [{ path: './Widget' }] };
      writeFileSync(path.join(folder, 'frontend', 'mf-manifest.json'), JSON.stringify(remote));
      const manifest = testManifest('gauge', {
        capabilities: ['read-metadata'],
        configuration: {
          schema: { type: 'object', properties: { threshold: { type: 'number' } }, additionalProperties: false },
          default: { threshold: 80 },
        },
        frontend: {
          remote: 'mf-manifest.json',
          contributions: [{ slot: 'dashboard.widget', id: 'gauge', title: 'Gauge', module: './Widget' }],
        },
      });
      writeFileSync(path.join(folder, 'manifest.json'), JSON.stringify(manifest));
    },
  });
  const base = await app.server.listen({ port: 0, host: '127.0.0.1' });
  return { base, cookie: app.adminCookie };
}

interface Listed {
  status: number;
  etag: string | null;
  cacheControl: string | null;
  body: string;
}

async function list(base: string, cookie: string, workspace: string, ifNoneMatch?: string | null): Promise<Listed> {
  const response = await fetch(`${base}/api/workspaces/${workspace}/extensions`, {
    // Uncompressed, to compare bytes and tags (fetch asks for gzip by default; the gzip test below does).
    headers: { cookie, 'accept-encoding': 'identity', ...(ifNoneMatch ? { 'if-none-match': ifNoneMatch } : {}) },
  });
  return {
    status: response.status,
    etag: response.headers.get('etag'),
    cacheControl: response.headers.get('cache-control'),
    body: await response.text(),
  };
}

async function send(base: string, cookie: string, method: string, url: string, body: unknown = {}): Promise<void> {
  const response = await fetch(`${base}${url}`, {
    method,
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status, `${method} ${url}: ${await response.clone().text()}`).toBeLessThan(300);
  await response.arrayBuffer();
}

const gaugeOf = (listed: Listed) =>
  (
    JSON.parse(listed.body) as { extensions: { plugin: string; pluginConfig: unknown; uiTrust: string }[] }
  ).extensions.find((e) => e.plugin === 'gauge');

describe('the extensions list with an ETag', () => {
  test('unchanged: a strong ETag, revalidated every time, and 304 without a body for the tag the client holds', async () => {
    const { base, cookie } = await start();
    const first = await list(base, cookie, 'alpha');
    expect(first.status).toBe(200);
    expect(first.etag).toMatch(/^"[\w-]{20,}"$/);
    expect(first.cacheControl).toBe('private, no-cache');
    expect(JSON.parse(first.body)).toEqual({ workspace: 'alpha', extensions: [] });

    const again = await list(base, cookie, 'alpha', first.etag);
    expect(again).toMatchObject({ status: 304, etag: first.etag, body: '' });
    expect((await list(base, cookie, 'alpha', `W/${first.etag}, "other"`)).status).toBe(304);
    expect((await list(base, cookie, 'alpha', '"other"')).status).toBe(200);
  });

  test('gzipped for a browser that accepts it: the same list, a weak tag that revalidates, Vary: Accept-Encoding', async () => {
    const { base, cookie } = await start();
    const plain = await list(base, cookie, 'alpha');
    const raw = await new Promise<{ headers: IncomingHttpHeaders; bytes: Buffer }>((resolve, reject) => {
      const request = httpGet(
        `${base}/api/workspaces/alpha/extensions`,
        { headers: { cookie, 'accept-encoding': 'gzip, deflate, br' } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ headers: response.headers, bytes: Buffer.concat(chunks) }));
        },
      );
      request.on('error', reject);
    });
    expect(raw.headers['content-encoding']).toBe('gzip');
    expect(raw.headers.vary).toBe('accept-encoding');
    expect(raw.headers.etag).toBe(`W/${plain.etag}`);
    expect(gunzipSync(raw.bytes).toString()).toBe(plain.body);
    expect((await list(base, cookie, 'alpha', raw.headers.etag)).status).toBe(304);
    expect((await list(base, cookie, 'alpha', null)).etag).toBe(plain.etag);
  });

  test('every registry change gives the affected workspace a new tag and body; the tag held before gets 200', async () => {
    const { base, cookie } = await start();
    let held = { alpha: await list(base, cookie, 'alpha'), beta: await list(base, cookie, 'beta') };

    /** After a change: which workspaces' lists changed (the old tag no longer matches), checking both answers. */
    async function changedBy(change: () => Promise<void>): Promise<string[]> {
      await change();
      const changed: string[] = [];
      for (const workspace of ['alpha', 'beta'] as const) {
        const revalidated = await list(base, cookie, workspace, held[workspace].etag);
        if (revalidated.status === 304) continue;
        expect(revalidated.status).toBe(200);
        expect(revalidated.etag).not.toBe(held[workspace].etag);
        expect(revalidated.body).not.toBe(held[workspace].body);
        held = { ...held, [workspace]: revalidated };
        changed.push(workspace);
      }
      return changed;
    }

    const version = (
      (await (await fetch(`${base}/api/plugins/gauge`, { headers: { cookie } })).json()) as {
        version: string;
      }
    ).version;
    expect(await changedBy(() => send(base, cookie, 'POST', '/api/plugins/gauge/approve', { version }))).toEqual([
      'alpha',
      'beta',
    ]);
    expect(gaugeOf(held.alpha)).toMatchObject({ pluginConfig: { threshold: 80 }, uiTrust: 'isolated' });

    expect(
      await changedBy(() => send(base, cookie, 'PUT', '/api/plugins/gauge/config', { config: { threshold: 60 } })),
    ).toEqual(['alpha', 'beta']);
    expect(gaugeOf(held.beta)?.pluginConfig).toEqual({ threshold: 60 });

    expect(
      await changedBy(() =>
        send(base, cookie, 'PUT', '/api/plugins/gauge/config/workspaces/alpha', { config: { threshold: 10 } }),
      ),
    ).toEqual(['alpha']);
    expect(gaugeOf(held.alpha)?.pluginConfig).toEqual({ threshold: 10 });

    expect(
      await changedBy(() => send(base, cookie, 'PUT', '/api/plugins/gauge/ui-trust', { level: 'in-page' })),
    ).toEqual(['alpha', 'beta']);
    expect(gaugeOf(held.alpha)?.uiTrust).toBe('in-page');

    expect(
      await changedBy(() => send(base, cookie, 'PUT', '/api/plugins/gauge/workspaces/beta', { enabled: false })),
    ).toEqual(['beta']);
    expect(gaugeOf(held.beta)).toBeUndefined();

    expect(await changedBy(() => send(base, cookie, 'POST', '/api/plugins/gauge/disable'))).toEqual(['alpha']);
    expect(gaugeOf(held.alpha)).toBeUndefined();

    expect(await changedBy(() => send(base, cookie, 'POST', '/api/plugins/gauge/enable'))).toEqual(['alpha']);
    expect(gaugeOf(held.alpha)?.pluginConfig).toEqual({ threshold: 10 });

    expect(await changedBy(() => send(base, cookie, 'DELETE', '/api/plugins/gauge/config/workspaces/alpha'))).toEqual([
      'alpha',
    ]);
    expect(gaugeOf(held.alpha)?.pluginConfig).toEqual({ threshold: 60 });
  });

  test('a tag is no pass: a signed-out caller or a non-member is refused, not answered 304', async () => {
    const { base, cookie } = await start();
    const { etag } = await list(base, cookie, 'alpha');
    expect((await list(base, '', 'alpha', etag)).status).toBe(401);
    const betaViewer = await app!.userWithRoles('bea', { beta: 'viewer' });
    const refused = await list(base, betaViewer, 'alpha', etag);
    expect(refused.status).toBe(404);
    expect(refused.etag).toBeNull();
    expect((await list(base, betaViewer, 'beta')).status).toBe(200);
  });
});

describe('matchesEtag', () => {
  test('compares weakly, in a list, and takes *', () => {
    expect(matchesEtag('"a"', '"a"')).toBe(true);
    expect(matchesEtag('W/"a"', '"a"')).toBe(true);
    expect(matchesEtag('"b", "a"', '"a"')).toBe(true);
    expect(matchesEtag('*', '"a"')).toBe(true);
    expect(matchesEtag('"b"', '"a"')).toBe(false);
    expect(matchesEtag('a', '"a"')).toBe(false);
    expect(matchesEtag(undefined, '"a"')).toBe(false);
  });
});

describe('acceptsGzip', () => {
  test('takes gzip or * unless weighted 0', () => {
    expect(acceptsGzip('gzip, deflate, br')).toBe(true);
    expect(acceptsGzip('br;q=1.0, GZIP;q=0.5')).toBe(true);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('gzip;q=0.0, br')).toBe(false);
    expect(acceptsGzip('identity')).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
  });
});
