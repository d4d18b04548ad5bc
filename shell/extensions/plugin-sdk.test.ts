import { describe, expect, test } from 'vitest';
import { pluginApiUrl } from './plugin-sdk.ts';

describe('sdk.fetch paths', () => {
  test("map to the plugin's own API prefix", () => {
    expect(pluginApiUrl('data-quality', '/stats')).toBe('/api/ext/data-quality/stats');
    expect(pluginApiUrl('data-quality', 'stats?limit=5')).toBe('/api/ext/data-quality/stats?limit=5');
  });

  test('refuse absolute URLs and paths that climb out of the prefix', () => {
    expect(() => pluginApiUrl('p', 'https://evil.example/x')).toThrow('takes a path, not a URL');
    expect(() => pluginApiUrl('p', '//evil.example/x')).toThrow('takes a path, not a URL');
    expect(() => pluginApiUrl('p', '../other-plugin/x')).toThrow('may not contain ".."');
    expect(() => pluginApiUrl('p', 'a/../../other')).toThrow('may not contain ".."');
  });
});
