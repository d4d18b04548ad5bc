import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { PluginLogEvent } from '../../../shared/plugin-logs.schema.ts';
import type { Database } from '../../db/database.ts';
import { openDatabase } from '../../db/open.ts';
import { eventually } from '../../sandbox/testing.ts';
import { openPluginLogs, type LogRetention, type PluginLogs } from './store.ts';
import { testDatabaseUrl } from '../../testing/postgres.ts';

const START = Date.parse('2025-03-01T10:00:00.000Z');
let dir: string;
let db: Database;
let clock: number;
let logs: PluginLogs | undefined;

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wb-plugin-logs-'));
  db = await openDatabase({ dataDirectory: dir, databaseUrl: await testDatabaseUrl() });
  clock = START;
});

afterEach(async () => {
  await logs?.close();
  logs = undefined;
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function open(retention: Partial<LogRetention> = {}, flushEveryMs = 200): Promise<PluginLogs> {
  logs = await openPluginLogs({
    db,
    retention: { maxBytes: 1_000_000, maxAgeMs: 3_600_000, linesPerSecond: 1000, ...retention },
    now: () => new Date(clock),
    flushEveryMs,
  });
  return logs;
}

describe('writing and reading', () => {
  test('lines come back newest first with their level, source and data, filtered by level, text and time', async () => {
    const store = await open();
    store.write('notes', 'debug', 'logger', 'cache warmed', { entries: 12 });
    clock += 60_000;
    store.write('notes', 'info', 'stdout', 'listening for events');
    clock += 60_000;
    store.write('notes', 'warn', 'stderr', 'deprecated call to config.get');
    clock += 60_000;
    store.write('notes', 'error', 'logger', 'could not save', { model: 'Orders' });
    store.write('other', 'error', 'logger', 'not mine');

    const all = await store.query('notes');
    expect(all.lines.map((l) => [l.seq, l.level, l.source, l.message])).toEqual([
      [4, 'error', 'logger', 'could not save'],
      [3, 'warn', 'stderr', 'deprecated call to config.get'],
      [2, 'info', 'stdout', 'listening for events'],
      [1, 'debug', 'logger', 'cache warmed'],
    ]);
    expect(all.lines[0]!.data).toEqual({ model: 'Orders' });
    expect(all.lines[0]!.at).toBe('2025-03-01T10:03:00.000Z');

    const warnings = await store.query('notes', { level: 'warn' });
    expect(warnings.lines.map((l) => l.level)).toEqual(['error', 'warn']);
    // Text search ignores case and looks into the data too.
    expect((await store.query('notes', { q: 'ORDERS' })).lines.map((l) => l.seq)).toEqual([4]);
    expect((await store.query('notes', { q: '50%_' })).lines).toEqual([]);
    const middle = await store.query('notes', { since: '2025-03-01T10:01:00Z', until: '2025-03-01T12:02:00+02:00' });
    expect(middle.lines.map((l) => l.seq)).toEqual([3, 2]);
  });

  test('pages go back in time with nextBefore until the first line', async () => {
    const store = await open();
    for (let i = 1; i <= 7; i += 1) store.write('notes', 'info', 'logger', `line ${i}`);
    const first = await store.query('notes', { limit: 3 });
    expect(first.lines.map((l) => l.message)).toEqual(['line 7', 'line 6', 'line 5']);
    expect(first.nextBefore).toBe(5);
    const second = await store.query('notes', { limit: 3, before: first.nextBefore! });
    expect(second.lines.map((l) => l.message)).toEqual(['line 4', 'line 3', 'line 2']);
    const last = await store.query('notes', { limit: 3, before: second.nextBefore! });
    expect(last.lines.map((l) => l.message)).toEqual(['line 1']);
    expect(last.nextBefore).toBeNull();
  });

  test('lines survive a restart and numbering goes on where it stopped', async () => {
    const store = await open();
    store.write('notes', 'info', 'logger', 'before the restart');
    await store.close();
    const again = await open();
    again.write('notes', 'info', 'logger', 'after the restart');
    const page = await again.query('notes');
    expect(page.lines.map((l) => [l.seq, l.message])).toEqual([
      [2, 'after the restart'],
      [1, 'before the restart'],
    ]);
    expect(page.keptBytes).toBe(Buffer.byteLength('before the restart') + Buffer.byteLength('after the restart'));
  });
});

describe('retention', () => {
  test('a plugin over its size keeps its newest lines; other plugins keep theirs', async () => {
    const store = await open({ maxBytes: 1000 });
    store.write('quiet', 'info', 'logger', 'q'.repeat(100));
    for (let i = 0; i < 50; i += 1)
      store.write('loud', 'info', 'logger', `${String(i).padStart(2, '0')}${'x'.repeat(98)}`);
    const loud = await store.query('loud', { limit: 500 });
    expect(loud.keptBytes).toBeLessThanOrEqual(1000);
    expect(loud.keptBytes).toBe(loud.lines.length * 100);
    expect(loud.lines.length).toBe(10);
    expect(loud.lines[0]!.message.startsWith('49')).toBe(true);
    expect(loud.lines.at(-1)!.message.startsWith('40')).toBe(true);
    expect((await store.query('quiet')).lines).toHaveLength(1);
  });

  test('lines older than the age limit are deleted', async () => {
    const store = await open({ maxAgeMs: 3_600_000 });
    store.write('notes', 'info', 'logger', 'old news');
    await store.flush();
    clock += 2 * 3_600_000;
    store.write('notes', 'info', 'logger', 'fresh');
    const page = await store.query('notes');
    expect(page.lines.map((l) => l.message)).toEqual(['fresh']);
    expect(page.keptBytes).toBe(Buffer.byteLength('fresh'));
  });
});

describe('flood limit', () => {
  test('lines over the rate are dropped and counted, then reported in one line; lifecycle lines always pass', async () => {
    const store = await open({ linesPerSecond: 10 });
    const events: PluginLogEvent[] = [];
    const stop = store.subscribe('loud', (event) => events.push(event));
    for (let i = 0; i < 25; i += 1) store.write('loud', 'info', 'stdout', `spam ${i}`);
    store.write('loud', 'warn', 'lifecycle', 'backend restart: process 2');
    expect(store.dropped('loud')).toBe(15);
    expect(store.dropped('quiet')).toBe(0);

    clock += 1000;
    store.write('loud', 'info', 'stdout', 'next second');
    const page = await store.query('loud', { limit: 500 });
    expect(page.dropped).toBe(15);
    expect(page.lines.slice(0, 3).map((l) => [l.source, l.message])).toEqual([
      ['stdout', 'next second'],
      ['lifecycle', '15 lines dropped (over 10 lines/s)'],
      ['lifecycle', 'backend restart: process 2'],
    ]);
    expect(page.lines.filter((l) => l.source === 'stdout')).toHaveLength(11);
    expect(events.filter((e) => e.type === 'line')).toHaveLength(13);
    expect(events).toContainEqual({ type: 'dropped', dropped: 15 });

    stop();
    store.write('loud', 'info', 'stdout', 'nobody listens');
    expect(events.filter((e) => e.type === 'line')).toHaveLength(13);
  });

  test('a second that ends with drops is reported without another line from the plugin', async () => {
    const store = await open({ linesPerSecond: 2 }, 10);
    for (let i = 0; i < 1234 + 2; i += 1) store.write('loud', 'info', 'logger', 'spam');
    clock += 1000;
    const note = await eventually('the dropped note', async () => {
      const page = await store.query('loud', { q: 'dropped' });
      return page.lines[0];
    });
    expect(note).toMatchObject({
      level: 'warn',
      message: '1,234 lines dropped (over 2 lines/s)',
      data: { dropped: 1234 },
    });
  });
});
