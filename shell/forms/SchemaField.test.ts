import { describe, expect, it } from 'vitest';
import { propertyLabel, schemaProperties } from './SchemaField.tsx';

describe('a generated form', () => {
  it('labels a property in words', () => {
    expect(propertyLabel('assignedBy')).toBe('Assigned by');
    expect(propertyLabel('row_limit')).toBe('Row limit');
    expect(propertyLabel('uniqueId')).toBe('Unique id');
    expect(propertyLabel('sql')).toBe('Sql');
  });

  it('reads the properties of an object schema in order, and none from anything else', () => {
    expect(schemaProperties({ properties: { b: { type: 'string' }, a: {} } }).map(([k]) => k)).toEqual(['b', 'a']);
    expect(schemaProperties(null)).toEqual([]);
    expect(schemaProperties({ type: 'string' })).toEqual([]);
  });
});
