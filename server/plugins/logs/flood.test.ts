import { afterAll, beforeAll, expect, test } from 'vitest';
import { callExt, eventually } from '../../sandbox/testing.ts';
import type { TestApp } from '../../testing/test-app.ts';
import { logsOf, startWithLogWriter } from './testing.ts';

// A plugin backend logs 10,000 lines a second for two seconds, through host.log and stdout. The server keeps
// answering its core API, keeps at most PLUGIN_LOG_LINES_PER_SECOND of the plugin's lines per second and counts
// the rest as dropped.

const RATE = 200;
let app: TestApp;

beforeAll(async () => {
  app = await startWithLogWriter({ PLUGIN_LOG_LINES_PER_SECOND: String(RATE) });
}, 60_000);

afterAll(async () => {
  await app?.close();
});

test('a plugin logging 10,000 lines a second neither slows the server nor fills its log', async () => {
  const flood = await callExt(app, '/api/ext/log-writer/flood', {
    method: 'POST',
    payload: { ms: 2000, perSecond: 10_000 },
  });
  expect(flood.statusCode).toBe(200);

  const timings: number[] = [];
  const until = Date.now() + 2500;
  while (Date.now() < until) {
    for (const url of ['/api/auth/me', '/api/info']) {
      const started = performance.now();
      const response = await app.server.inject({ url, headers: { cookie: app.adminCookie } });
      timings.push(performance.now() - started);
      expect(response.statusCode, url).toBe(200);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  timings.sort((a, b) => a - b);
  const p99 = timings[Math.ceil(timings.length * 0.99) - 1]!;
  expect(timings.length).toBeGreaterThan(20);
  expect(timings.at(-1)!).toBeLessThan(1000);
  expect(p99).toBeLessThan(500);

  // Once the flood is over, every second that dropped lines said so in one line, and the counts add up.
  const page = await eventually(
    'the dropped lines to be reported',
    async () => {
      const p = await logsOf(app, 'log-writer', '?limit=500&q=dropped');
      const reported = p.lines.reduce((sum, l) => sum + Number(l.data?.dropped ?? 0), 0);
      return p.dropped > 0 && reported === p.dropped ? p : undefined;
    },
    15_000,
  );
  expect(page.dropped).toBeGreaterThan(10_000);
  expect(page.lines[0]!.message).toMatch(new RegExp(`^[\\d,]+ lines dropped \\(over ${RATE} lines/s\\)$`));

  const kept: string[] = [];
  for (let before: number | null | undefined = undefined; before !== null;) {
    const p = await logsOf(app, 'log-writer', `?limit=500&q=flood${before ? `&before=${before}` : ''}`);
    kept.push(...p.lines.map((l) => l.at));
    before = p.nextBefore;
  }
  const perSecond = new Map<string, number>();
  for (const at of kept) perSecond.set(at.slice(0, 19), (perSecond.get(at.slice(0, 19)) ?? 0) + 1);
  expect(kept.length).toBeGreaterThan(RATE);
  expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(RATE);
  // Both channels got through: the limit is per plugin, not per channel.
  const sources = new Set((await logsOf(app, 'log-writer', '?limit=500&q=flood')).lines.map((l) => l.source));
  expect(sources).toEqual(new Set(['logger', 'stdout']));
}, 60_000);
