import { describe, expect, it } from 'vitest';
import { argumentsOf, serverFieldErrors, validateArguments } from './validate-arguments.ts';

const schema = {
  type: 'object',
  properties: {
    query: { type: 'string', minLength: 2 },
    limit: { type: 'integer', minimum: 1, maximum: 100 },
    kind: { enum: ['model', 'source'] },
  },
  required: ['query'],
  additionalProperties: false,
};

describe("checking a tool's arguments as the user types", () => {
  it('passes good arguments', () => {
    expect(validateArguments(schema, { query: 'orders', limit: 10, kind: 'model' })).toEqual({});
  });

  it('names each wrong field with the rule it breaks', () => {
    const errors = validateArguments(schema, { query: 'o', limit: 500, kind: 'seed' });
    expect(Object.keys(errors).sort()).toEqual(['kind', 'limit', 'query']);
    expect(errors.limit).toMatch(/100/);
    expect(errors.query).toMatch(/2/);
  });

  it('says a missing required field is required', () => {
    expect(validateArguments(schema, argumentsOf({ query: '', limit: undefined }))).toEqual({ query: 'Required.' });
  });

  it('names a parameter the schema does not have', () => {
    expect(validateArguments(schema, { query: 'ab', extra: 1 })['']).toMatch(/extra/);
  });

  it('checks nothing when there is no schema', () => {
    expect(validateArguments(undefined, { anything: 1 })).toEqual({});
  });
});

describe("the server's word on arguments", () => {
  it('goes to the top-level field its pointer names, or to the whole form', () => {
    expect(
      serverFieldErrors([
        { field: '/limit', message: 'must be <= 100' },
        { field: '/filter/0', message: 'must be string' },
        { field: '/a~1b', message: 'odd' },
        { field: '', message: 'must have required property "query"' },
      ]),
    ).toEqual({
      limit: 'must be <= 100',
      filter: 'must be string',
      'a/b': 'odd',
      '': 'must have required property "query"',
    });
  });

  it('reads nothing from details of another shape', () => {
    expect(serverFieldErrors({ reason: 'x' })).toEqual({});
    expect(serverFieldErrors(undefined)).toEqual({});
  });
});
