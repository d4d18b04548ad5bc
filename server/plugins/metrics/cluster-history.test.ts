import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { MetricsPoint } from '@dbt-workbench/plugin-sdk/contracts/plugin-metrics.schema';
import type { Database } from '../../db/database.ts';
import { openDatabase } from '../../db/open.ts';
import { testDatabaseUrl } from '../../testing/postgres.ts';
import { createClusterHistory } from './cluster-history.ts';
import { createClusterPointStore } from './cluster-store.ts';

// Two servers' cost histories on one real database (SQLite here, PostgreSQL in its pass): what each stores adds up.

let dir: string;
let db: Database;

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wb-cluster-history-'));
  db = await openDatabase({ dataDirectory: dir, databaseUrl: await testDatabaseUrl() });
});
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const second = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
const point = (s: number, calls: number, errors = 0): MetricsPoint => ({
  at: second(s),
  intervalMs: 1000,
  calls,
  errors,
  timeouts: 0,
  retries: 0,
  p50Ms: null,
  p95Ms: calls > 0 ? calls : null,
  hookP95Ms: null,
  restarts: 0,
  memoryMb: 10,
  frontendLoads: 0,
  frontendLoadP95Ms: null,
  frontendErrors: 0,
});

function servers(keep = 3) {
  const store = createClusterPointStore(db);
  return {
    a: createClusterHistory({ store, server: 'server-a', intervalMs: 1000, keep }),
    b: createClusterHistory({ store, server: 'server-b', intervalMs: 1000, keep }),
  };
}

describe("the cluster's cost history", () => {
  test("each server's points of an interval add up, on both; the one before is read again once complete", async () => {
    const { a, b } = servers();
    // A stores second 1 before B has: A's answer holds only its own calls.
    expect(await a.record([{ plugin: 'p', point: point(1, 4, 4) }], ['p'])).toEqual([
      { plugin: 'p', point: expect.objectContaining({ at: second(1), calls: 4, errors: 4 }) },
    ]);
    expect(await b.record([{ plugin: 'p', point: point(1, 6) }], ['p'])).toEqual([
      { plugin: 'p', point: expect.objectContaining({ at: second(1), calls: 10, errors: 4, memoryMb: 20 }) },
    ]);
    // At second 2, A reads second 1 again: now with B's calls in.
    const next = await a.record([{ plugin: 'p', point: point(2, 1) }], ['p']);
    expect(next.map((p) => [p.point.at, p.point.calls])).toEqual([
      [second(1), 10],
      [second(2), 1],
    ]);
    expect(a.points('p').map((p) => [p.at, p.calls, p.p95Ms])).toEqual([
      [second(1), 10, 6],
      [second(2), 1, 1],
    ]);
  });

  test('keeps `keep` intervals, in memory and in the database; forgets removed plugins; reloads at start', async () => {
    const { a } = servers(3);
    for (let s = 1; s <= 5; s++) {
      await a.record(
        [
          { plugin: 'p', point: point(s, s) },
          { plugin: 'q', point: point(s, 1) },
        ],
        ['p', 'q'],
      );
    }
    expect(a.points('p').map((p) => p.calls)).toEqual([3, 4, 5]);
    await a.record([{ plugin: 'p', point: point(6, 6) }], ['p']);
    expect(a.points('q')).toEqual([]);
    // A restarted server (or another one starting) reads the kept history back.
    const restarted = servers(3).a;
    await restarted.load(['p'], new Date(second(6)));
    expect(restarted.points('p').map((p) => p.calls)).toEqual([4, 5, 6]);
    expect(await db.all('SELECT at FROM plugin_metric_points WHERE at < ?', [second(3)])).toEqual([]);
  });

  test("diagnostics figures: each server's, this one first, and the total", async () => {
    const { a, b } = servers(10);
    await a.record([{ plugin: 'p', point: point(1, 4, 1) }], ['p']);
    await b.record([{ plugin: 'p', point: point(1, 2, 2) }], ['p']);
    await b.record([{ plugin: 'p', point: point(2, 3) }], ['p']);
    const figures = await b.figures('p', new Date(second(3)));
    expect(figures.spanMs).toBe(10_000);
    expect(figures.replicas.map((r) => [r.server, r.current, r.alive, r.figures.calls, r.figures.errors])).toEqual([
      ['server-b', true, true, 5, 2],
      // No heartbeat row (the runs feature keeps those): not known to be alive.
      ['server-a', false, false, 4, 1],
    ]);
    expect(figures.total).toMatchObject({ calls: 9, errors: 3, points: 3, memoryMb: 20, lastPointAt: second(2) });
  });
});
