import { describe, expect, test } from 'vitest';
import { testRecord } from '../test-records.ts';
import type { RegisteredPlugin } from '../registry.ts';
import { frameAncestors, frameCsp, remoteBase } from './csp.ts';
import { testManifest } from '../../../shared/testing/manifests.ts';
import type { PluginManifest } from '@dbt-workbench/plugin-sdk/contracts/plugin-manifest.schema';

const origin = 'https://wb.example';
const withRemote = (remote?: string): RegisteredPlugin => ({
  ...testRecord('notes', {
    revision: '1.2.0-abcdef0123',
    manifest: testManifest('notes', {
      ...(remote ? { frontend: { remote, contributions: [] } } : {}),
    }) as PluginManifest,
  }),
  discoveredAt: '',
  assetsDirectory: '',
  uiTrust: 'isolated',
});

describe('remoteBase', () => {
  test("a local remote loads from the plugin's frontend/ at this revision", () => {
    expect(remoteBase(withRemote('mf-manifest.json'), origin)).toBe(
      'https://wb.example/plugins/notes/1.2.0-abcdef0123/frontend/',
    );
  });

  test("a remote on its own origin loads from its directory, never from the origin's root", () => {
    expect(remoteBase(withRemote('https://cdn.example/teams/notes/2.0/mf-manifest.json'), origin)).toBe(
      'https://cdn.example/teams/notes/2.0/',
    );
    expect(remoteBase(withRemote('https://cdn.example/remoteEntry.js'), origin)).toBe('https://cdn.example/');
  });

  test('a plugin without a frontend has none', () => {
    expect(remoteBase(withRemote(), origin)).toBeUndefined();
  });
});

describe('frameCsp', () => {
  const csp = frameCsp({
    origin,
    plugin: 'notes',
    revision: '1.2.0-abcdef0123',
    remoteBase: 'https://wb.example/plugins/notes/1.2.0-abcdef0123/frontend/',
    ancestors: ["'self'"],
  });
  const directive = (name: string) =>
    csp
      .split('; ')
      .find((d) => d.startsWith(`${name} `))
      ?.split(' ')
      .slice(1);

  test('is the exact policy the frame runs under', () => {
    expect(csp).toBe(
      [
        "default-src 'none'",
        'script-src https://wb.example/isolation/ https://wb.example/plugins/notes/1.2.0-abcdef0123/frontend/',
        "style-src 'unsafe-inline' https://wb.example/isolation/ https://wb.example/plugins/notes/1.2.0-abcdef0123/frontend/",
        'connect-src https://wb.example/plugins/notes/1.2.0-abcdef0123/frontend/',
        'img-src https://wb.example/plugins/notes/1.2.0-abcdef0123/frontend/ https://wb.example/plugins/notes/1.2.0-abcdef0123/static/ data: blob:',
        'font-src https://wb.example/isolation/ https://wb.example/plugins/notes/1.2.0-abcdef0123/frontend/ data:',
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'self'",
      ].join('; '),
    );
  });

  test("no source reaches the app's API, its whole origin, another plugin or another revision", () => {
    for (const name of ['script-src', 'connect-src', 'img-src', 'style-src', 'font-src']) {
      const sources = directive(name) ?? [];
      expect(sources, name).not.toContain("'self'");
      expect(sources, name).not.toContain(origin);
      expect(sources, name).not.toContain(`${origin}/`);
      expect(sources, name).not.toContain('*');
      expect(
        sources.some((s) => s.includes('/api')),
        name,
      ).toBe(false);
      expect(
        sources.filter((s) => s.includes('/plugins/')).every((s) => s.includes('/plugins/notes/1.2.0-abcdef0123/')),
        name,
      ).toBe(true);
    }
    expect(directive('script-src')).not.toContain("'unsafe-inline'");
    expect(directive('script-src')).not.toContain("'unsafe-eval'");
  });
});

describe('frameAncestors', () => {
  test("a frame on the app's origin is framed by that origin only", () => {
    expect(frameAncestors('https', 'wb.example')).toEqual(["'self'"]);
  });

  test("a frame on a plugin's own loopback site is framed by the app on the same port of a loopback address", () => {
    expect(frameAncestors('http', 'notes.localhost:4810')).toEqual(['http://localhost:4810', 'http://127.0.0.1:4810']);
  });
});
