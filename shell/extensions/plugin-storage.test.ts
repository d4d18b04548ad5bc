import { describe, expect, test } from 'vitest';
import { createPluginStorage } from './plugin-storage.ts';

/** A small in-memory Storage, as the browser's localStorage behaves. */
function memoryStorage(): Storage {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    key: (i) => [...map.keys()][i] ?? null,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, String(v)),
    removeItem: (k) => void map.delete(k),
    clear: () => map.clear(),
  };
}

describe('sdk.storage', () => {
  test("keeps JSON values under the plugin's own prefix", () => {
    const storage = memoryStorage();
    const mine = createPluginStorage('data-quality', storage);
    mine.set('filters', { status: 'fail' });
    expect(mine.get('filters')).toEqual({ status: 'fail' });
    expect(storage.getItem('wb:plugin:data-quality:filters')).toBe('{"status":"fail"}');
    expect(mine.get('missing')).toBeUndefined();
  });

  test("one plugin cannot read or clear another's entries, nor the app's", () => {
    const storage = memoryStorage();
    storage.setItem('wb:app-setting', 'keep');
    const a = createPluginStorage('a', storage);
    const b = createPluginStorage('b', storage);
    a.set('x', 1);
    b.set('x', 2);
    expect(a.get('x')).toBe(1);
    expect(b.get('x')).toBe(2);
    a.clear();
    expect(a.get('x')).toBeUndefined();
    expect(b.get('x')).toBe(2);
    expect(storage.getItem('wb:app-setting')).toBe('keep');
  });
});
