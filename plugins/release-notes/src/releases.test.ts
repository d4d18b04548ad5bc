import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { configurationProblems } from '@dbt-workbench/plugin-sdk/node/configuration';
import { noReleasesText, releasesFor } from './releases.ts';

const manifest = JSON.parse(readFileSync(path.join(import.meta.dirname, '../manifest.json'), 'utf8'));

describe('release notes are per workspace', () => {
  test("a workspace shows its own notes and never another's", () => {
    const config = {
      releases: {
        shop: [{ version: '2', date: '2026-01-02', highlights: ['orders added'] }],
        finance: [{ version: '9', date: '2026-02-03', highlights: ['ledger'] }],
      },
    };
    expect(releasesFor(config, 'shop').map((r) => r.version)).toEqual(['2']);
    expect(releasesFor(config, 'finance').map((r) => r.version)).toEqual(['9']);
    expect(releasesFor(config, 'marketing')).toEqual([]);
  });

  test('a malformed configuration yields no notes, not a crash', () => {
    expect(releasesFor({}, 'shop')).toEqual([]);
    expect(releasesFor({ releases: 'text' }, 'shop')).toEqual([]);
    expect(releasesFor({ releases: { shop: [{ version: 1 }, null] } }, 'shop')).toEqual([]);
  });

  test('no notes says so for that workspace and where an admin adds them', () => {
    expect(noReleasesText({ name: 'jaffle-shop', title: 'Jaffle Shop' })).toBe(
      'No release notes for Jaffle Shop yet. An admin adds them in Admin → Plugins → Release notes → Configure, ' +
        'under the workspace\'s name "jaffle-shop".',
    );
  });

  test("the shipped default is valid and holds only the classic jaffle shop's notes", () => {
    expect(configurationProblems(manifest)).toEqual([]);
    const defaults = manifest.configuration.default;
    expect(Object.keys(defaults.releases)).toEqual(['jaffle-shop-classic']);
    expect(releasesFor(defaults, 'jaffle-shop-classic')[0]?.version).toBe('2026.11.2');
    expect(releasesFor(defaults, 'jaffle-shop')).toEqual([]);
  });
});
