import { getInstance, init } from '@module-federation/enhanced/runtime';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerRemote } from './remote-loader.ts';

afterEach(() => vi.restoreAllMocks());

describe('registerRemote', () => {
  it('replaces a known remote with its new entry without the runtime’s "already registered" warning', () => {
    init({ name: 'workbench_shell_test', remotes: [] });
    const warnings: string[] = [];
    vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void warnings.push(args.join(' ')));

    registerRemote('live_widget', 'http://127.0.0.1:1/plugins/live-widget/r1/frontend/mf-manifest.json');
    registerRemote('live_widget', 'http://127.0.0.1:1/plugins/live-widget/r2/frontend/mf-manifest.json');

    const remotes = (getInstance()!.options.remotes as { name: string; entry?: string }[]).filter(
      (r) => r.name === 'live_widget',
    );
    expect(remotes.map((r) => r.entry)).toEqual([
      'http://127.0.0.1:1/plugins/live-widget/r2/frontend/mf-manifest.json',
    ]);
    expect(warnings.filter((w) => w.includes('already registered'))).toEqual([]);
  });
});
