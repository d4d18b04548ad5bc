import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { parseManifest } from './artifacts/parse.ts';
import { MAX_PATCH_BYTES, MAX_PATCHES_PER_HANDLER, applyPatches } from './patches.ts';
import { buildProjectIndex } from './project/build-index.ts';
import type { ProjectIndex } from './project/project-index.ts';
import { datasetDir, readJson } from './test-data.ts';

const ORDERS = 'model.jaffle_shop.orders';
let index: ProjectIndex;

beforeAll(() => {
  const manifest = parseManifest(readJson(path.join(datasetDir('classic'), 'manifest.json')));
  if (!manifest.ok) throw new Error(manifest.message);
  index = buildProjectIndex({ workspace: 'shop', manifest: manifest.value });
});

const ok = (owner: string, result: unknown) => ({ owner, ok: true, ms: 1, result: result as never });

describe('applyPatches', () => {
  test('merges patches of one owner, keeps owners apart, and shares untouched nodes', async () => {
    const { index: patched, reports } = await applyPatches(index, [
      ok('a', [
        { uniqueId: ORDERS, fields: { x: 1, y: 1 } },
        { uniqueId: ORDERS, fields: { y: 2 } },
      ]),
      ok('b', [{ uniqueId: ORDERS, column: 'amount', fields: { unit: 'AUD' } }]),
    ]);
    const orders = patched.nodes.get(ORDERS);
    expect(orders?.extensions).toEqual({ a: { x: 1, y: 2 } });
    expect(orders?.columns.find((c) => c.name === 'amount')?.extensions).toEqual({ b: { unit: 'AUD' } });
    expect(index.nodes.get(ORDERS)?.extensions).toEqual({});
    expect(patched.nodes.get('model.jaffle_shop.customers')).toBe(index.nodes.get('model.jaffle_shop.customers'));
    expect(patched.list.find((n) => n.uniqueId === ORDERS)).toBe(orders);
    expect(Object.isFrozen(orders?.extensions.a)).toBe(true);
    expect(reports.map((r) => [r.owner, r.applied])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
  });

  test('rejects fields that are too large or not JSON, and results that are not lists', async () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const { index: patched, reports } = await applyPatches(index, [
      ok('big', [{ uniqueId: ORDERS, fields: { blob: 'x'.repeat(MAX_PATCH_BYTES) } }]),
      ok('loop', [{ uniqueId: ORDERS, fields: circular }]),
      ok('shape', [{ uniqueId: 42, fields: {} }]),
      ok('odd', { uniqueId: ORDERS }),
      { owner: 'threw', ok: false, ms: 1, error: 'nope' },
    ]);
    expect(patched).toBe(index);
    expect(reports[0]?.rejected?.[0]).toMatch(/^patch 0: fields take \d+ bytes as JSON; at most 8192 are allowed$/);
    expect(reports[1]?.rejected?.[0]).toMatch(/^patch 0: fields are not JSON/);
    expect(reports[2]?.rejected?.[0]).toMatch(/^patch 0: uniqueId/);
    expect(reports[3]).toMatchObject({ ok: false, error: 'returned something other than a list of patches' });
    expect(reports[4]).toMatchObject({ ok: false, error: 'nope' });
  });

  test('reads at most MAX_PATCHES_PER_HANDLER patches and lets the event loop run while it checks them', async () => {
    const patches = Array.from({ length: MAX_PATCHES_PER_HANDLER + 5 }, (_, i) => ({
      uniqueId: ORDERS,
      fields: { [`k${i % 50}`]: i },
    }));
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 1);
    const started = performance.now();
    const { reports } = await applyPatches(index, [ok('many', patches)]);
    const ms = performance.now() - started;
    clearInterval(ticker);
    expect(reports[0]).toMatchObject({ applied: MAX_PATCHES_PER_HANDLER });
    expect(reports[0]?.rejected).toEqual([
      `returned ${MAX_PATCHES_PER_HANDLER + 5} patches; only the first ${MAX_PATCHES_PER_HANDLER} were read`,
    ]);
    // A timer due every millisecond kept firing: no stretch of work held the loop much longer than a slice.
    expect(ticks).toBeGreaterThan(ms / 50);
  });
});
