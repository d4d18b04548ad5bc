import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rspack } from '@rspack/core';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createRemoteConfig, isWorthLogging } from './remote-preset.ts';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const made: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the remote build preset', () => {
  test('drops only the manifest plugin’s publicPath notice from the build log', () => {
    expect(
      isWorthLogging([
        "<w> [Module Federation Manifest Plugin] Manifest will use absolute path resolution via its host at runtime, reason: publicPath='auto'",
      ]),
    ).toBe(false);
    expect(isWorthLogging(['<w> [Module Federation Manifest Plugin] Manifest will not generate'])).toBe(true);
    expect(isWorthLogging(['shared module react: version 17 does not satisfy ^19'])).toBe(true);
  });

  test('builds a plugin into a remote with a manifest, and prints no publicPath warning', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'wb-preset-'));
    made.push(dir);
    // sql-tips' manifest, with a widget that imports nothing (a temporary folder has no node_modules).
    cpSync(path.join(repoRoot, 'plugins/sql-tips/manifest.json'), path.join(dir, 'manifest.json'));
    mkdirSync(path.join(dir, 'src'));
    writeFileSync(path.join(dir, 'src/TipWidget.tsx'), 'export default function TipWidget() { return null; }\n');
    const warned: string[] = [];
    // Wherever rspack's logger writes: the console it was given, or straight to stderr.
    vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void warned.push(args.join(' ')));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      warned.push(String(chunk));
      return true;
    });
    await new Promise<void>((resolve, reject) => {
      const compiler = rspack(createRemoteConfig({ pluginDir: dir, mode: 'production' }));
      compiler.run((error, stats) => {
        compiler.close(() => (error || stats?.hasErrors() ? reject(error ?? new Error(stats?.toString())) : resolve()));
      });
    });
    expect(existsSync(path.join(dir, 'frontend', 'mf-manifest.json'))).toBe(true);
    expect(warned.filter((line) => line.includes('publicPath'))).toEqual([]);
  }, 60_000);
});
