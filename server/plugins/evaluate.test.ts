import { describe, expect, test } from 'vitest';
import type { Capability } from '@dbt-workbench/plugin-sdk/contracts/capabilities';
import { stateNeedsReason } from '../../shared/plugin-states.ts';
import { testManifest } from '../../shared/testing/manifests.ts';
import type { PluginCandidate } from '@dbt-workbench/plugin-sdk/node/candidate';
import type { Precedence } from './conflicts.ts';
import { evaluatePlugins, type ApprovalLookup, type PluginRecord } from './evaluate.ts';
import { TEST_LIMITS } from './test-records.ts';

const manifest = testManifest;

function candidate(folderName: string, json: unknown, extra: Partial<PluginCandidate> = {}): PluginCandidate {
  return {
    directory: `/plugins/${folderName}`,
    folderName,
    manifest: { ok: true, json },
    remoteManifest: undefined,
    missingStaticFiles: [],
    contentHash: 'abc1234567',
    ...extra,
  };
}

const noApprovals: ApprovalLookup = () => [];

function evaluate(
  candidates: PluginCandidate[],
  approvedCapabilities: ApprovalLookup = noApprovals,
  precedence?: Precedence,
): PluginRecord[] {
  return evaluatePlugins({
    candidates,
    host: { version: '0.1.0', pluginApiVersions: [1] },
    approvedCapabilities,
    policy: { autoApprove: [], forbidden: [], limits: TEST_LIMITS },
    enablement: () => undefined,
    storedConfig: () => undefined,
    workspaces: ['default'],
    defaultEnabled: true,
    precedence,
  });
}

function only(records: PluginRecord[]): PluginRecord {
  expect(records).toHaveLength(1);
  return records[0]!;
}

describe('evaluatePlugins', () => {
  test('a valid plugin without capabilities is active, with no reason and its revision', () => {
    const record = only(evaluate([candidate('alpha', manifest('alpha'))]));
    expect(record).toMatchObject({
      name: 'alpha',
      directory: '/plugins/alpha',
      state: 'active',
      problems: [],
      revision: '1.0.0-abc1234567',
    });
    expect(record.reason).toBeUndefined();
    expect(record.manifest?.name).toBe('alpha');
  });

  test('unreadable JSON is invalid with the read error as reason, named by its folder', () => {
    const record = only(
      evaluate([
        candidate('broken', undefined, {
          manifest: { ok: false, error: 'manifest.json is not valid JSON: Unexpected token }' },
        }),
      ]),
    );
    expect(record).toMatchObject({
      name: 'broken',
      state: 'invalid',
      reason: 'manifest.json is not valid JSON: Unexpected token }',
    });
    expect(record.manifest).toBeUndefined();
  });

  test('a missing field is invalid, with the problem listed and named in the reason', () => {
    const json = manifest('alpha');
    delete json.version;
    const record = only(evaluate([candidate('alpha', json)]));
    expect(record.state).toBe('invalid');
    expect(record.problems).toEqual([{ field: 'version', rule: 'required', message: 'version: is required' }]);
    expect(record.reason).toContain('version: is required');
  });

  test('several problems are all listed and counted in the reason', () => {
    const json = manifest('alpha', { version: 'one' });
    delete json.description;
    const record = only(evaluate([candidate('alpha', json)]));
    expect(record.state).toBe('invalid');
    expect(record.problems.map((p) => p.field).sort()).toEqual(['description', 'version']);
    expect(record.reason).toContain('2 problems');
  });

  test('warnings are kept on an active plugin', () => {
    const record = only(evaluate([candidate('alpha', manifest('alpha', { colour: 'red' }))]));
    expect(record.state).toBe('active');
    expect(record.warnings.map((w) => `${w.field}:${w.rule}`)).toEqual(['colour:unknown-field']);
  });

  test('static files the plugin does not ship are warnings, not errors', () => {
    const json = manifest('alpha', { icon: 'icon.svg', screenshots: ['one.png', 'two.png'] });
    const record = only(evaluate([candidate('alpha', json, { missingStaticFiles: ['icon.svg', 'two.png'] })]));
    expect(record.state).toBe('active');
    expect(record.missingStaticFiles).toEqual(['icon.svg', 'two.png']);
    expect(record.warnings.map((w) => `${w.field}:${w.rule}`)).toEqual(['icon:file-exists', 'screenshots:file-exists']);
    expect(record.warnings[1]!.message).toContain('static/two.png');
  });

  test('a name that differs from its folder is invalid and names both', () => {
    const record = only(evaluate([candidate('alpha-folder', manifest('alpha'))]));
    expect(record.state).toBe('invalid');
    expect(record.reason).toContain('"alpha"');
    expect(record.reason).toContain('"alpha-folder"');
  });

  test('a workbench range the host does not satisfy is incompatible', () => {
    const record = only(
      evaluate([candidate('alpha', manifest('alpha', { compatibility: { workbench: '^2.0.0', pluginApi: 1 } }))]),
    );
    expect(record.state).toBe('incompatible');
    expect(record.reason).toContain('^2.0.0');
    expect(record.reason).toContain('0.1.0');
  });

  test('an unsupported plugin API is incompatible', () => {
    const record = only(
      evaluate([candidate('alpha', manifest('alpha', { compatibility: { workbench: '^0.1.0', pluginApi: 2 } }))]),
    );
    expect(record.state).toBe('incompatible');
    expect(record.reason).toContain('plugin API 2');
  });

  test('a local frontend that was not built is invalid', () => {
    const frontend = { remote: 'mf-manifest.json', contributions: [{ slot: 'sql.panel', id: 'p', module: './Panel' }] };
    const record = only(evaluate([candidate('alpha', manifest('alpha', { frontend }))]));
    expect(record.state).toBe('invalid');
    expect(record.reason).toContain('missing');
  });

  test('a frontend built under the right name with its modules is active', () => {
    const frontend = { remote: 'mf-manifest.json', contributions: [{ slot: 'sql.panel', id: 'p', module: './Panel' }] };
    const remoteManifest = { ok: true as const, json: { name: 'wb_alpha_beta', exposes: [{ path: './Panel' }] } };
    const record = only(evaluate([candidate('alpha-beta', manifest('alpha-beta', { frontend }), { remoteManifest })]));
    expect(record.state).toBe('active');
  });

  describe('capabilities', () => {
    const caps: Capability[] = ['read-metadata', 'extend-api'];

    test('declared but none approved: pending-approval naming each capability', () => {
      const record = only(evaluate([candidate('alpha', manifest('alpha', { capabilities: caps }))]));
      expect(record.state).toBe('pending-approval');
      expect(record.reason).toContain('read-metadata');
      expect(record.reason).toContain('extend-api');
    });

    test('partly approved: pending-approval naming only the rest', () => {
      const record = only(
        evaluate([candidate('alpha', manifest('alpha', { capabilities: caps }))], () => ['read-metadata']),
      );
      expect(record.state).toBe('pending-approval');
      expect(record.reason).toContain('extend-api');
      expect(record.reason).not.toContain('read-metadata');
    });

    test('all approved through the lookup: active, and the lookup is asked with name and version', () => {
      const asked: string[] = [];
      const lookup: ApprovalLookup = (name, version) => {
        asked.push(`${name}@${version}`);
        return name === 'alpha' && version === '1.0.0' ? caps : [];
      };
      const record = only(evaluate([candidate('alpha', manifest('alpha', { capabilities: caps }))], lookup));
      expect(record.state).toBe('active');
      expect(asked).toEqual(['alpha@1.0.0']);
    });

    test('approvals for another version do not count', () => {
      const lookup: ApprovalLookup = (_, version) => (version === '0.9.0' ? caps : []);
      expect(only(evaluate([candidate('alpha', manifest('alpha', { capabilities: caps }))], lookup)).state).toBe(
        'pending-approval',
      );
    });
  });

  describe('the whole access request', () => {
    const asking = manifest('alpha', {
      permissions: { fs: [{ path: '/srv/shared', access: 'write' }], env: ['WAREHOUSE_TOKEN'] },
      backend: { entry: 'index.js', limits: { memoryMb: 512 } },
    });

    test('without a capability, OS grants and a limit above the default still wait, each in plain words', () => {
      const record = only(evaluate([candidate('alpha', asking)]));
      expect(record.state).toBe('pending-approval');
      expect(record.reason).toBe(
        "waiting for an admin to approve: Read and write files in the folder /srv/shared; Read the server's " +
          'environment variable WAREHOUSE_TOKEN; Use up to 512 MB of memory (the default is 128 MB)',
      );
      expect(record.access.map((e) => [e.key, e.approved])).toEqual([
        ['fs.write:/srv/shared', false],
        ['env:WAREHOUSE_TOKEN', false],
        ['limit.memoryMb:512', false],
      ]);
    });

    test('approved keys cover it: a write grant covers a read, a larger approved limit a smaller one', () => {
      const approved = () => ['fs.write:/srv/shared', 'env:WAREHOUSE_TOKEN', 'limit.memoryMb:1024'];
      expect(only(evaluate([candidate('alpha', asking)], approved)).state).toBe('active');
      const reading = manifest('alpha', { permissions: { fs: ['/srv/shared'] } });
      expect(only(evaluate([candidate('alpha', reading)], approved)).state).toBe('active');
      const record = only(evaluate([candidate('alpha', asking)], () => ['fs.write:/srv/shared', 'limit.memoryMb:256']));
      expect(record.reason).toBe(
        "waiting for an admin to approve: Read the server's environment variable WAREHOUSE_TOKEN; Use up to 512 MB " +
          'of memory (the default is 128 MB)',
      );
    });

    test('a limit above the ceiling is incompatible whatever is approved, naming the limit, value and ceiling', () => {
      const greedy = manifest('alpha', { backend: { entry: 'index.js', limits: { timeoutMs: 120_000 } } });
      const record = only(evaluate([candidate('alpha', greedy)], () => ['limit.timeoutMs:120000']));
      expect(record).toMatchObject({
        state: 'incompatible',
        reason: "backend.limits.timeoutMs asks for 120 s, above this server's ceiling of 60 s (PLUGIN_MAX_TIMEOUT_MS)",
      });
      expect(record.access.map((e) => e.key)).toEqual(['limit.timeoutMs:120000']);
    });
  });

  describe('duplicate names', () => {
    test('two folders declaring the same name are both invalid, and the reason names both folders', () => {
      const records = evaluate([
        candidate('foo', manifest('foo'), { directory: '/plugins/team-a/foo' }),
        candidate('foo', manifest('foo'), { directory: '/plugins/team-b/foo' }),
      ]);
      expect(records).toHaveLength(2);
      for (const record of records) {
        expect(record.state).toBe('invalid');
        expect(record.reason).toContain('/plugins/team-a/foo');
        expect(record.reason).toContain('/plugins/team-b/foo');
      }
      expect(records.map((r) => r.directory)).toEqual(['/plugins/team-a/foo', '/plugins/team-b/foo']);
    });

    test('other plugins are unaffected', () => {
      const records = evaluate([
        candidate('foo', manifest('foo'), { directory: '/plugins/a/foo' }),
        candidate('foo', manifest('foo'), { directory: '/plugins/b/foo' }),
        candidate('bar', manifest('bar')),
      ]);
      expect(records.find((r) => r.name === 'bar')?.state).toBe('active');
    });

    test('the folder that held the name keeps it; only the copy is invalid, naming that folder', () => {
      const records = evaluate(
        [
          candidate('foo', manifest('foo'), { directory: '/plugins/aaa/foo' }),
          candidate('foo', manifest('foo'), { directory: '/plugins/foo' }),
        ],
        noApprovals,
        { heldBy: () => undefined, installedAt: () => undefined, heldIn: (name) => `/plugins/${name}` },
      );
      expect(records.map((r) => [r.directory, r.state, r.reason])).toEqual([
        [
          '/plugins/aaa/foo',
          'invalid',
          'the name "foo" belongs to the plugin in /plugins/foo; remove or rename this folder',
        ],
        ['/plugins/foo', 'active', undefined],
      ]);
    });
  });

  describe('dependencies', () => {
    test('a dependency on a plugin that is not installed is incompatible', () => {
      const record = only(evaluate([candidate('alpha', manifest('alpha', { dependencies: { ghost: '^1.0.0' } }))]));
      expect(record.state).toBe('incompatible');
      expect(record.reason).toContain('"ghost"');
    });

    test('a satisfied dependency leaves both active', () => {
      const records = evaluate([
        candidate('alpha', manifest('alpha', { dependencies: { beta: '^1.0.0' } })),
        candidate('beta', manifest('beta')),
      ]);
      expect(records.map((r) => r.state)).toEqual(['active', 'active']);
    });

    test('a dependency waiting for approval blocks its dependant', () => {
      const records = evaluate([
        candidate('alpha', manifest('alpha', { dependencies: { beta: '^1.0.0' } })),
        candidate('beta', manifest('beta', { capabilities: ['read-metadata'] })),
      ]);
      expect(records.map((r) => r.state)).toEqual(['incompatible', 'pending-approval']);
      expect(records[0]!.reason).toContain('"beta"');
    });
  });

  test('is pure: the same input gives equal output', () => {
    const candidates = [
      candidate('alpha', manifest('alpha')),
      candidate('beta', manifest('beta', { capabilities: ['extend-api'] })),
    ];
    expect(evaluate(candidates)).toEqual(evaluate(candidates));
  });

  test('every state that needs a reason has a non-empty one', () => {
    const missingField = manifest('gamma');
    delete missingField.author;
    const records = evaluate([
      candidate('active-one', manifest('active-one')),
      candidate('bad-json', undefined, { manifest: { ok: false, error: 'manifest.json is not valid JSON' } }),
      candidate('gamma', missingField),
      candidate('wrong-folder', manifest('right-name')),
      candidate('old', manifest('old', { compatibility: { workbench: '<0.1.0', pluginApi: 1 } })),
      candidate('needs-ok', manifest('needs-ok', { capabilities: ['modify-lineage'] })),
      candidate('orphan', manifest('orphan', { dependencies: { ghost: '*' } })),
      candidate('dup', manifest('dup'), { directory: '/plugins/x/dup' }),
      candidate('dup', manifest('dup'), { directory: '/plugins/y/dup' }),
    ]);
    expect(new Set(records.map((r) => r.state))).toEqual(
      new Set(['active', 'invalid', 'incompatible', 'pending-approval']),
    );
    for (const record of records) {
      if (stateNeedsReason(record.state)) expect(record.reason, `${record.name} (${record.state})`).toMatch(/\S/);
      else expect(record.reason).toBeUndefined();
    }
  });
});

describe('page path conflicts', () => {
  const withPage = (name: string) =>
    candidate(
      name,
      manifest(name, {
        frontend: {
          remote: 'mf-manifest.json',
          contributions: [{ slot: 'page', id: 'page', path: 'quality', module: './P' }],
        },
      }),
      { remoteManifest: { ok: true, json: { name: `wb_${name}`, exposes: [{ path: './P' }] } } },
    );
  const both = () => [withPage('first'), withPage('second')];

  test('with nothing to tell who came first, both are incompatible, naming each other', () => {
    expect(evaluate(both()).map((r) => [r.name, r.state, r.reason])).toEqual([
      [
        'first',
        'incompatible',
        'the page path "quality" is also claimed by second 1.0.0, and neither was serving it or installed first: remove one',
      ],
      [
        'second',
        'incompatible',
        'the page path "quality" is also claimed by first 1.0.0, and neither was serving it or installed first: remove one',
      ],
    ]);
  });

  test('the plugin that held the path stays active; only the newcomer is incompatible, naming the owner', () => {
    const records = evaluate(both(), noApprovals, {
      heldBy: (key) => (key === 'page-path:quality' ? 'second' : undefined),
      installedAt: () => undefined,
      heldIn: () => undefined,
    });
    expect(records.map((r) => [r.name, r.state, r.reason])).toEqual([
      ['first', 'incompatible', 'the page path "quality" belongs to second 1.0.0'],
      ['second', 'active', undefined],
    ]);
    expect(records[0]!.enabledWorkspaces).toEqual([]);
  });
});

describe('automatic disables', () => {
  const evaluateWith = (autoDisabled: (name: string) => string | undefined, global?: boolean) =>
    only(
      evaluatePlugins({
        candidates: [candidate('alpha', manifest('alpha'))],
        host: { version: '0.1.0', pluginApiVersions: [1] },
        approvedCapabilities: noApprovals,
        policy: { autoApprove: [], forbidden: [], limits: TEST_LIMITS },
        enablement: () => ({ ...(global === undefined ? {} : { global }), workspaces: { default: true } }),
        storedConfig: () => undefined,
        workspaces: ['default', 'other'],
        defaultEnabled: true,
        autoDisabled,
      }),
    );

  test('keep a plugin disabled everywhere, whatever its rules, with the reason', () => {
    const record = evaluateWith((name) => (name === 'alpha' ? 'error rate 100% over the last 1 min' : undefined));
    expect(record).toMatchObject({
      state: 'disabled',
      reason: 'Disabled automatically: error rate 100% over the last 1 min',
      enabledWorkspaces: [],
    });
  });

  test('a plugin without one follows its rules', () => {
    const record = evaluateWith(() => undefined, false);
    expect(record).toMatchObject({ state: 'active', enabledWorkspaces: ['default'] });
    expect(record.reason).toBeUndefined();
  });
});

describe('a plugin on a plugin API the next release drops', () => {
  test('runs, and its card warns what to move to; on a current API it has no such warning', () => {
    const evaluateOn = (deprecatedPluginApiVersions: number[]) =>
      only(
        evaluatePlugins({
          candidates: [candidate('alpha', manifest('alpha'))],
          host: { version: '0.1.0', pluginApiVersions: [1, 2], deprecatedPluginApiVersions },
          approvedCapabilities: noApprovals,
          policy: { autoApprove: [], forbidden: [], limits: TEST_LIMITS },
          enablement: () => undefined,
          storedConfig: () => undefined,
          workspaces: ['default'],
          defaultEnabled: true,
        }),
      );
    const old = evaluateOn([1]);
    expect(old.state).toBe('active');
    expect(old.warnings).toEqual([
      {
        field: 'compatibility.pluginApi',
        rule: 'plugin-api-deprecated',
        message:
          "compatibility.pluginApi: targets plugin API 1, which the next major release of dbt-Workbench drops; move to plugin API 2 (the SDK's deprecated members name their replacements)",
      },
    ]);
    expect(evaluateOn([]).warnings).toEqual([]);
  });
});
