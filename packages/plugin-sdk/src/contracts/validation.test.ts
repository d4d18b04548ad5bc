import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { PluginManifest } from './plugin-manifest.schema.ts';
import { fieldName, unknownFields, validate } from './validation.ts';

describe('fieldName', () => {
  test('an empty path is the whole document', () => {
    expect(fieldName([])).toBe('(document)');
  });

  test('a single key', () => {
    expect(fieldName(['name'])).toBe('name');
  });

  test('keys are dotted and indexes bracketed', () => {
    expect(fieldName(['frontend', 'contributions', 1, 'slot'])).toBe('frontend.contributions[1].slot');
  });

  test('an index at the start and consecutive indexes', () => {
    expect(fieldName([0, 'a', 2, 3, 'b'])).toBe('[0].a[2][3].b');
  });

  test('keys containing dots are kept as written', () => {
    expect(fieldName(['dependencies', 'my.plugin'])).toBe('dependencies.my.plugin');
  });
});

describe('validate', () => {
  const Schema = z.object({
    name: z.string().min(2, 'must be at least 2 characters'),
    port: z.number().int().max(65535, 'must be at most 65535'),
    tags: z.array(z.string().regex(/^[a-z]+$/, 'must be lowercase')),
  });

  test('returns the parsed value when valid', () => {
    expect(validate(Schema, { name: 'ok', port: 80, tags: ['a'] })).toEqual({
      ok: true,
      value: { name: 'ok', port: 80, tags: ['a'] },
      warnings: [],
    });
  });

  test('reports every broken field at once, each with field, rule and message', () => {
    const result = validate(Schema, { name: 'x', port: 70000, tags: ['ok', 'NOPE'] });
    if (result.ok) throw new Error('expected problems');
    expect(result.problems).toEqual([
      { field: 'name', rule: 'min', message: 'name: must be at least 2 characters' },
      { field: 'port', rule: 'max', message: 'port: must be at most 65535' },
      { field: 'tags[1]', rule: 'pattern', message: 'tags[1]: must be lowercase' },
    ]);
  });

  test('a manifest with several broken fields lists each one', () => {
    const result = validate(PluginManifest, {
      name: 'Bad Name',
      version: 'one',
      displayName: 'X',
      description: 'Y',
      author: { name: 'Z', email: 'nope' },
      compatibility: { workbench: '^0.1.0', pluginApi: 0 },
      capabilities: ['read-metadata', 'read-metadata'],
    });
    if (result.ok) throw new Error('expected problems');
    expect(result.problems.map((p) => `${p.field}:${p.rule}`).sort()).toEqual(
      [
        'author.email:email',
        'capabilities:unique',
        'compatibility.pluginApi:min',
        'name:pattern',
        'version:semver',
      ].sort(),
    );
  });

  test('a missing field is "required" with the message "is required"', () => {
    const result = validate(Schema, { port: 1, tags: [] });
    if (result.ok) throw new Error('expected problems');
    expect(result.problems).toEqual([{ field: 'name', rule: 'required', message: 'name: is required' }]);
  });

  // Known bug: validation.ts ruleOf/messageOf test `issue.input === undefined`, but zod 4 leaves `input` off
  // issues unless asked, so a present value of the wrong type is reported as missing. Flip to `test` once fixed.
  test('a present value of the wrong type is rule "type", not "required"', () => {
    const result = validate(Schema, { name: 42, port: 1, tags: [] });
    if (result.ok) throw new Error('expected problems');
    expect(result.problems).toEqual([expect.objectContaining({ field: 'name', rule: 'type' })]);
    expect(result.problems[0]!.message).not.toContain('is required');
  });

  test('a custom rule comes from the issue params', () => {
    const Even = z.number().refine((n) => n % 2 === 0, { message: 'must be even', params: { rule: 'even' } });
    const result = validate(z.object({ n: Even }), { n: 3 });
    if (result.ok) throw new Error('expected problems');
    expect(result.problems).toEqual([{ field: 'n', rule: 'even', message: 'n: must be even' }]);
  });

  test('a custom issue without a rule param is rule "custom"', () => {
    const result = validate(z.object({ n: z.number().refine((n) => n > 0, 'must be positive') }), { n: -1 });
    if (result.ok) throw new Error('expected problems');
    expect(result.problems).toEqual([{ field: 'n', rule: 'custom', message: 'n: must be positive' }]);
  });

  test('unknown fields are warnings, also when the document is invalid', () => {
    const result = validate(Schema, { name: 'x', port: 1, tags: [], extra: true });
    expect(result.ok).toBe(false);
    expect(result.warnings).toEqual([
      { field: 'extra', rule: 'unknown-field', message: 'extra: is not a known field and is ignored' },
    ]);
  });
});

describe('unknownFields', () => {
  test('walks nested objects inside arrays and optionals', () => {
    const Schema = z.object({ items: z.array(z.object({ id: z.string() })).optional() });
    expect(unknownFields(Schema, { items: [{ id: 'a' }, { id: 'b', oops: 1 }] }).map((w) => w.field)).toEqual([
      'items[1].oops',
    ]);
  });

  test('a value that is not an object gives no warnings', () => {
    expect(unknownFields(z.object({ a: z.string() }), 'text')).toEqual([]);
  });
});
