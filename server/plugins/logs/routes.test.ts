import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { PluginLogEvent } from '../../../shared/plugin-logs.schema.ts';
import { callExt, eventually } from '../../sandbox/testing.ts';
import type { TestApp } from '../../testing/test-app.ts';
import { logsOf, startWithLogWriter } from './testing.ts';

let app: TestApp;

const logs = (query = '') => logsOf(app, 'log-writer', query);

beforeAll(async () => {
  app = await startWithLogWriter();
}, 60_000);

afterAll(async () => {
  await app?.close();
});

describe('GET /api/plugins/:name/logs', () => {
  test("a backend's host.log, stdout and stderr lines and the server's decisions about it are listed", async () => {
    const page = await eventually('the startup lines', async () => {
      const p = await logs();
      return p.lines.some((l) => l.source === 'stderr') ? p : undefined;
    });
    const lines = page.lines.map((l) => [l.level, l.source, l.message]);
    expect(lines).toContainEqual(['info', 'stdout', 'log-writer says hello on stdout']);
    expect(lines).toContainEqual(['warn', 'stderr', 'log-writer complains on stderr']);
    expect(lines).toContainEqual(['info', 'logger', 'log-writer is ready']);
    expect(page.lines.find((l) => l.message === 'log-writer is ready')?.data).toEqual({ routes: ['/log', '/flood'] });
    expect(lines).toContainEqual([
      'warn',
      'lifecycle',
      'discovered (version 1.0.0): pending-approval: waiting for an admin to approve: extend-api',
    ]);
    expect(lines).toContainEqual(['info', 'lifecycle', 'state pending-approval → active']);
    const messages = page.lines.map((l) => l.message);
    expect(messages.some((m) => /^backend start: process 1 of revision 1\.0\.0-/.test(m))).toBe(true);
    expect(messages.some((m) => /^backend activated: process 1 \(pid \d+\) active in/.test(m))).toBe(true);
    expect(page.retention).toEqual({ maxBytes: 5120 * 1024, maxAgeMs: 168 * 3_600_000, linesPerSecond: 200 });
    expect(page.keptBytes).toBeGreaterThan(0);
    expect(page.dropped).toBe(0);
  });

  test('lines are filtered by level and text', async () => {
    const written = await callExt(app, '/api/ext/log-writer/log', {
      method: 'POST',
      payload: { level: 'error', message: 'Disk is full' },
    });
    expect(written.statusCode).toBe(200);
    const errors = await logs('?level=error');
    expect(errors.lines.length).toBeGreaterThan(0);
    expect(errors.lines.every((l) => l.level === 'error')).toBe(true);
    expect(errors.lines[0]).toMatchObject({ source: 'logger', message: 'Disk is full', data: { via: 'route' } });

    const warnings = await logs('?level=warn');
    expect(warnings.lines.map((l) => l.message)).toContain('log-writer complains on stderr');
    expect(warnings.lines.map((l) => l.level)).not.toContain('info');

    const found = await logs('?q=complains');
    expect(found.lines.map((l) => l.message)).toEqual(['log-writer complains on stderr']);
    const later = await logs(`?since=${new Date(Date.now() + 60_000).toISOString()}`);
    expect(later.lines).toEqual([]);
  });

  test('unknown plugins are 404, bad queries 400 naming the field, and only instance admins may read', async () => {
    const missing = await app.server.inject({ url: '/api/plugins/nope/logs', headers: { cookie: app.adminCookie } });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('plugin_not_found');
    for (const [query, field] of [
      ['level=loud', 'level'],
      ['limit=5000', 'limit'],
      ['since=yesterday', 'since'],
      ['before=-3', 'before'],
    ]) {
      const bad = await app.server.inject({
        url: `/api/plugins/log-writer/logs?${query}`,
        headers: { cookie: app.adminCookie },
      });
      expect(bad.statusCode, query).toBe(400);
      expect(bad.json().error.code).toBe('bad_request');
      expect(bad.json().error.message).toContain(`${field}:`);
    }
    const member = await app.userWithRoles('dana', { default: 'admin' });
    for (const url of ['/api/plugins/log-writer/logs', '/api/plugins/log-writer/logs/stream']) {
      const denied = await app.server.inject({ url, headers: { cookie: member } });
      expect(denied.statusCode, url).toBe(403);
    }
  });
});

describe('GET /api/plugins/:name/logs/stream', () => {
  test('streams each new line while it is open, after the dropped count', async () => {
    await app.server.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.server.address() as AddressInfo;
    const abort = new AbortController();
    const response = await fetch(`http://127.0.0.1:${port}/api/plugins/log-writer/logs/stream`, {
      headers: { cookie: app.adminCookie },
      signal: abort.signal,
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events: PluginLogEvent[] = [];
    const reading = (async () => {
      const decoder = new TextDecoder();
      let text = '';
      for await (const chunk of response.body!) {
        text += decoder.decode(chunk as Uint8Array, { stream: true });
        const blocks = text.split('\n\n');
        text = blocks.pop()!;
        for (const block of blocks) {
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (data) events.push(JSON.parse(data.slice(6)) as PluginLogEvent);
        }
      }
    })().catch(() => {});

    await eventually('the dropped count on connect', () => (events[0]?.type === 'dropped' ? true : undefined));
    const written = await callExt(app, '/api/ext/log-writer/log', {
      method: 'POST',
      payload: { level: 'warn', message: 'streamed live' },
    });
    expect(written.statusCode).toBe(200);
    const line = await eventually('the new line on the stream', () =>
      events.find((e) => e.type === 'line' && e.line.message === 'streamed live'),
    );
    expect(line).toMatchObject({ type: 'line', line: { level: 'warn', source: 'logger', data: { via: 'route' } } });
    abort.abort();
    await reading;
  });
});
