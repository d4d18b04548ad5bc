import { describe, expect, test } from 'vitest';
import type { SandboxSupport } from './layers.ts';
import { planLaunch, type SandboxGrant } from './spawn.ts';

// How grants become wrappers and Node flags, on a machine where every layer works (root) and where none of the
// OS layers do.

const all: SandboxSupport = {
  permissionModel: { ok: true, detail: '--permission' },
  userId: { ok: true, detail: 'setpriv' },
  networkNamespace: { ok: true, detail: 'unshare --net' },
  memoryCgroup: { ok: false, detail: 'not in this test' },
  procStatm: { ok: true, detail: '/proc/<pid>/statm' },
};
const noRoot: SandboxSupport = {
  ...all,
  userId: { ok: false, detail: 'the server does not run as root' },
  networkNamespace: { ok: false, detail: 'the server does not run as root' },
};
const grant = (extra: Partial<SandboxGrant> = {}): SandboxGrant => ({
  plugin: 'p',
  pluginDir: '/',
  dataDir: '/var/wb/data/plugins/p',
  readDirs: ['/srv/reference'],
  writeDirs: ['/srv/exports'],
  env: {},
  memoryMb: 128,
  network: [],
  uid: 61001,
  ...extra,
});
const layer = (plan: ReturnType<typeof planLaunch>, name: string) => plan.layers.find((l) => l.layer === name);

describe('planLaunch', () => {
  test('read grants are readable, write grants writable (and readable), nothing else is writable', () => {
    const plan = planLaunch(grant(), all, '/usr/bin/node');
    expect(plan.args).toContain('--allow-fs-read=/srv/reference');
    expect(plan.args).toContain('--allow-fs-read=/srv/exports');
    expect(plan.args.filter((a) => a.startsWith('--allow-fs-write='))).toEqual([
      '--allow-fs-write=/var/wb/data/plugins/p',
      '--allow-fs-write=/srv/exports',
    ]);
  });

  test('no hosts: a private network namespace and a guard that allows no host', () => {
    const plan = planLaunch(grant(), all, '/usr/bin/node');
    expect(plan.command).toBe('unshare');
    expect(layer(plan, 'network-namespace')?.active).toBe(true);
    expect(layer(plan, 'network-guard')).toMatchObject({
      active: true,
      detail: expect.stringMatching(/^TCP and TLS only to no host/),
    });
  });

  test('hosts: the machine network, the guard over those hosts; without root the guard alone', () => {
    for (const support of [all, noRoot]) {
      const plan = planLaunch(grant({ network: ['api.example.com:443'] }), support, '/usr/bin/node');
      expect(plan.command).not.toBe('unshare');
      expect(layer(plan, 'network-namespace')).toMatchObject({ active: false });
      expect(layer(plan, 'network-guard')?.detail).toMatch(/^TCP and TLS only to api.example.com:443; no UDP/);
    }
  });

  test('PLUGIN_NETWORK_ALLOWED: any host, and the diagnostics say the guard is off', () => {
    const plan = planLaunch(grant({ network: 'any' }), all, '/usr/bin/node');
    expect(plan.command).not.toBe('unshare');
    expect(layer(plan, 'network-namespace')?.detail).toBe('off: network granted by PLUGIN_NETWORK_ALLOWED');
    expect(layer(plan, 'network-guard')).toEqual({
      layer: 'network-guard',
      active: false,
      detail: 'off: any host (PLUGIN_NETWORK_ALLOWED)',
    });
  });
});
