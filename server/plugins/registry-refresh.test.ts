import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, expect, test } from 'vitest';
import { testManifest } from '../../shared/testing/manifests.ts';
import type { EnablementRules } from './enablement.ts';
import { createPluginRegistry } from './registry.ts';
import { TEST_LIMITS } from './test-records.ts';

let root: string | undefined;
afterEach(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
  root = undefined;
});

test('refreshes asked for while one runs share the next one, which sees every change made before them', async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-refresh-'));
  for (const name of ['one', 'two']) {
    fs.mkdirSync(path.join(root, name));
    fs.writeFileSync(path.join(root, name, 'manifest.json'), JSON.stringify(testManifest(name)));
  }
  const enablement = new Map<string, EnablementRules>();
  let discoveries = 0;
  // The first discovery is held once it has read the rules, so the burst below arrives while it runs.
  let entered!: () => void;
  const started = new Promise<void>((resolve) => (entered = resolve));
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const registry = createPluginRegistry({
    pluginsDirectory: root,
    enabled: true,
    host: { version: '0.1.0', pluginApiVersions: [1] },
    loadRules: async () => {
      discoveries++;
      const rules = { approvedCapabilities: () => [], enablement: new Map(enablement), configs: new Map() };
      if (discoveries === 1) {
        entered();
        await gate;
      }
      return rules;
    },
    policy: { autoApprove: [], forbidden: [], limits: TEST_LIMITS },
    workspaces: ['default'],
    defaultEnabled: true,
    logger: pino({ level: 'silent' }),
  });

  const first = registry.refresh();
  await started;
  // Ten changes (a bulk action) while the first discovery runs: one more discovery serves them all.
  enablement.set('one', { global: false, workspaces: {} });
  const burst = Array.from({ length: 10 }, () => registry.refresh());
  expect(new Set(burst).size).toBe(1);
  release();
  expect((await first).find((p) => p.name === 'one')?.state).toBe('active');
  const after = await burst[0]!;
  expect(discoveries).toBe(2);
  expect(after.find((p) => p.name === 'one')?.state).toBe('disabled');

  // Once that one has started, a new request waits for a discovery of its own.
  enablement.set('two', { global: false, workspaces: {} });
  const later = await registry.refresh();
  expect(discoveries).toBe(3);
  expect(later.find((p) => p.name === 'two')?.state).toBe('disabled');
});
