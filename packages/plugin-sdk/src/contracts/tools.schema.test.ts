import { describe, expect, it } from 'vitest';
import { accessDiff, accessEntries, accessRequestOf, groupAccess } from './access-request.ts';
import { PluginManifest } from './plugin-manifest.schema.ts';
import { ToolDeclaration, toolFingerprint } from './tools.schema.ts';
import { validate } from './validation.ts';

const tool = (extra: Record<string, unknown> = {}) => ({
  name: 'assign_steward',
  title: 'Assign a steward',
  description: 'Makes a person the steward of a model.',
  effect: 'change',
  parameters: { type: 'object', properties: { model: { type: 'string' } }, required: ['model'] },
  ...extra,
});

const manifest = (tools: unknown[]) => ({
  name: 'stewards',
  version: '1.0.0',
  displayName: 'Stewards',
  description: 'Tools',
  author: { name: 'Team' },
  compatibility: { workbench: '*', pluginApi: 1 },
  capabilities: [],
  tools,
});

describe('tools in the manifest', () => {
  it('a tool needs a snake_case name, words, an object schema and an effect; each problem names its field', () => {
    const result = validate(
      PluginManifest,
      manifest([tool({ name: 'Assign-Steward', parameters: { type: 'string' }, effect: 'write' })]),
    );
    expect(result.ok).toBe(false);
    const fields = result.ok ? [] : result.problems.map((p) => p.field);
    expect(fields).toEqual(expect.arrayContaining(['tools[0].name', 'tools[0].parameters', 'tools[0].effect']));
  });

  it('a schema larger than 16 KB is refused before anything compiles it', () => {
    const properties = Object.fromEntries(Array.from({ length: 800 }, (_, i) => [`field_${i}`, { type: 'string' }]));
    const result = validate(PluginManifest, manifest([tool({ parameters: { type: 'object', properties } })]));
    expect(result.ok ? [] : result.problems.map((p) => p.message)).toEqual([
      'tools[0].parameters: must take at most 16 KB as JSON',
    ]);
  });

  it('a name used twice is refused', () => {
    const result = validate(PluginManifest, manifest([tool(), tool()]));
    expect(result.ok ? [] : result.problems.map((p) => [p.field, p.message])).toEqual([
      ['tools[1].name', 'tools[1].name: must be unique within the plugin ("assign_steward" is used twice)'],
    ]);
  });
});

describe('tools in the approval', () => {
  const parsed = (extra: Record<string, unknown> = {}) => PluginManifest.parse(manifest([tool(extra)]));
  const defaults = { timeoutMs: 5000, memoryMb: 128 };

  it('each tool is an item an admin approves, in words that say whether it changes things', () => {
    const [entry] = accessEntries(accessRequestOf(parsed(), defaults), new Set());
    expect(entry).toMatchObject({
      key: expect.stringMatching(/^tool:assign_steward@[0-9a-f]{12}$/),
      description:
        'Offer the tool "Assign a steward" (assign_steward), which changes things, to people and agents in its workspaces',
      approved: false,
    });
    expect(groupAccess([entry!]).map((g) => g.title)).toEqual(['Tools']);
  });

  it('a changed schema, effect or capability is a new item that waits; the same tool again is not', () => {
    const before = accessRequestOf(parsed(), defaults);
    expect(accessDiff(before, accessRequestOf(parsed(), defaults)).added).toEqual([]);
    for (const change of [
      { parameters: { type: 'object', properties: { model: { type: 'string' }, force: { type: 'boolean' } } } },
      { effect: 'read' },
      { capabilities: ['access-sql-workspace'] },
    ]) {
      const diff = accessDiff(before, accessRequestOf(parsed(change), defaults));
      expect(diff.added).toHaveLength(1);
      expect(diff.removed).toHaveLength(1);
    }
  });

  it('the fingerprint does not depend on the order of keys', () => {
    const a = ToolDeclaration.parse(tool({ parameters: { type: 'object', properties: { a: { type: 'string' } } } }));
    const b = ToolDeclaration.parse(tool({ parameters: { properties: { a: { type: 'string' } }, type: 'object' } }));
    expect(toolFingerprint(a)).toBe(toolFingerprint(b));
  });
});
