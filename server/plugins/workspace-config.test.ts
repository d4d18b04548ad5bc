import { describe, expect, test } from 'vitest';
import { PluginManifest } from '@dbt-workbench/plugin-sdk/contracts/plugin-manifest.schema';
import { testManifest } from '../../shared/testing/manifests.ts';
import { effectiveWorkspaceConfig, mergeWorkspaceConfig } from './workspace-config.ts';

const manifest = PluginManifest.parse(
  testManifest('tuned', {
    configuration: {
      schema: {
        type: 'object',
        properties: {
          threshold: { type: 'number', minimum: 0, maximum: 100 },
          label: { type: 'string', default: 'quality' },
          columns: { type: 'object', properties: { a: { type: 'boolean' }, b: { type: 'boolean' } } },
        },
        additionalProperties: false,
      },
    },
  }),
);

describe('a workspace configuration over the global one', () => {
  test('no override: the global configuration as it is', () => {
    const global = { threshold: 80, label: 'quality' };
    expect(mergeWorkspaceConfig(global, undefined)).toBe(global);
    expect(effectiveWorkspaceConfig(manifest, global, undefined)).toBe(global);
    expect(effectiveWorkspaceConfig(manifest, global, {})).toBe(global);
  });

  test("the override's fields win; the others stay global", () => {
    expect(mergeWorkspaceConfig({ threshold: 80, label: 'quality' }, { threshold: 40 })).toEqual({
      threshold: 40,
      label: 'quality',
    });
  });

  test('an object field is replaced whole, not merged inside', () => {
    expect(mergeWorkspaceConfig({ columns: { a: true, b: true } }, { columns: { b: false } })).toEqual({
      columns: { b: false },
    });
  });

  test('the merge leaves its inputs as they were', () => {
    const global = { threshold: 80 };
    const override = { threshold: 40 };
    mergeWorkspaceConfig(global, override);
    expect(global).toEqual({ threshold: 80 });
    expect(override).toEqual({ threshold: 40 });
  });

  test('the effective configuration is checked, with schema defaults filled in', () => {
    expect(effectiveWorkspaceConfig(manifest, { threshold: 80 }, { threshold: 10 })).toEqual({
      threshold: 10,
      label: 'quality',
    });
  });

  test('an override that no longer fits the schema gives way to the global configuration', () => {
    const global = { threshold: 80, label: 'quality' };
    expect(effectiveWorkspaceConfig(manifest, global, { threshold: 500 })).toBe(global);
    expect(effectiveWorkspaceConfig(manifest, global, { gone: true })).toBe(global);
  });
});
