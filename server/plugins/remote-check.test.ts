import { describe, expect, test } from 'vitest';
import { PluginManifest } from '@dbt-workbench/plugin-sdk/contracts/plugin-manifest.schema';
import { testManifest } from '../../shared/testing/manifests.ts';
import { remoteNameFor } from '@dbt-workbench/plugin-sdk/contracts/versions';
import { remoteProblems } from '@dbt-workbench/plugin-sdk/node/remote-check';

function manifest(frontend?: unknown, name = 'data-quality'): PluginManifest {
  return PluginManifest.parse(testManifest(name, frontend === undefined ? {} : { frontend }));
}

const frontend = {
  remote: 'mf-manifest.json',
  contributions: [
    { slot: 'nav.tab', id: 'quality', title: 'Quality', path: 'quality', module: './QualityPage' },
    { slot: 'dashboard.widget', id: 'summary', module: './Summary' },
    { slot: 'sql.template', id: 'failing', title: 'Failing', sql: 'select 1' },
  ],
};

function built(name: string, exposes: string[]) {
  return { ok: true as const, json: { name, exposes: exposes.map((path) => ({ path, name: path.slice(2) })) } };
}

describe('remoteNameFor', () => {
  test('prefixes wb_ and turns dashes into underscores', () => {
    expect(remoteNameFor('data-quality')).toBe('wb_data_quality');
    expect(remoteNameFor('a-b-c')).toBe('wb_a_b_c');
    expect(remoteNameFor('plain')).toBe('wb_plain');
  });
});

describe('remoteProblems', () => {
  test('a plugin without a frontend has no remote problems, whatever was read', () => {
    expect(remoteProblems(manifest(), undefined)).toEqual([]);
    expect(remoteProblems(manifest(), { ok: false, error: 'boom' })).toEqual([]);
  });

  test('a matching remote has no problems', () => {
    expect(remoteProblems(manifest(frontend), built('wb_data_quality', ['./QualityPage', './Summary']))).toEqual([]);
  });

  test('a missing remote manifest says to build the frontend', () => {
    const problems = remoteProblems(manifest(frontend), undefined);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('frontend/mf-manifest.json');
    expect(problems[0]).toContain('missing');
  });

  test('an unreadable remote manifest passes the read error on', () => {
    const problems = remoteProblems(manifest(frontend), {
      ok: false,
      error: 'mf-manifest.json is not valid JSON: Unexpected token',
    });
    expect(problems).toEqual([expect.stringContaining('mf-manifest.json is not valid JSON: Unexpected token')]);
  });

  test('a remote manifest of the wrong shape', () => {
    const problems = remoteProblems(manifest(frontend), { ok: true, json: { hello: 'world' } });
    expect(problems).toEqual([expect.stringContaining('does not look like a Module Federation manifest')]);
  });

  test('a remote built under the wrong name names the actual and the expected name', () => {
    const problems = remoteProblems(manifest(frontend), built('data_quality', ['./QualityPage', './Summary']));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('"data_quality"');
    expect(problems[0]).toContain(`"${remoteNameFor('data-quality')}"`);
  });

  test('each contribution module the remote does not expose is reported', () => {
    const problems = remoteProblems(manifest(frontend), built('wb_data_quality', ['./Other']));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('"quality"');
    expect(problems[0]).toContain('"./QualityPage"');
    expect(problems[1]).toContain('"summary"');
    expect(problems[1]).toContain('"./Summary"');
  });

  test('a wrong name and a missing module are reported together', () => {
    expect(remoteProblems(manifest(frontend), built('wb_other', ['./QualityPage']))).toHaveLength(2);
  });

  test('a declarative contribution needs no exposed module', () => {
    const sqlOnly = {
      remote: 'mf-manifest.json',
      contributions: [{ slot: 'sql.template', id: 't', title: 'T', sql: 'select 1' }],
    };
    expect(remoteProblems(manifest(sqlOnly), built('wb_data_quality', []))).toEqual([]);
  });

  test.each(['https://cdn.example.com/dq/mf-manifest.json', 'http://localhost:3001/remoteEntry.js'])(
    'a remote at %s is checked when it loads, not here',
    (remote) => {
      expect(remoteProblems(manifest({ ...frontend, remote }), undefined)).toEqual([]);
    },
  );
});

describe('the missing-build message', () => {
  test('names mf-manifest.json, the file the server reads, even when the remote is a remoteEntry.js', () => {
    expect(remoteProblems(manifest({ ...frontend, remote: 'dist/remoteEntry.js' }), undefined)).toEqual([
      "frontend/dist/mf-manifest.json is missing: build the plugin's frontend first",
    ]);
  });
});
