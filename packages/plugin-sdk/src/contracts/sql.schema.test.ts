import { describe, expect, test } from 'vitest';
import { validate } from './validation.ts';
import { isNumericSqlType, SavedQueryBody, SqlQueryBody } from './sql.schema.ts';

describe('SQL workspace contracts', () => {
  test('number types are numeric; lists of numbers, text and dates are not', () => {
    for (const type of ['INTEGER', 'BIGINT', 'HUGEINT', 'DOUBLE', 'DECIMAL(18,3)', 'UBIGINT'])
      expect(isNumericSqlType(type), type).toBe(true);
    for (const type of ['INTEGER[]', 'VARCHAR', 'DATE', 'STRUCT("a" INTEGER)', 'INTERVAL'])
      expect(isNumericSqlType(type), type).toBe(false);
  });

  test('a query body needs SQL and a limit between 1 and 10,000', () => {
    expect(validate(SqlQueryBody, { sql: 'select 1', limit: 50 }).ok).toBe(true);
    const problems = (body: unknown) => {
      const result = validate(SqlQueryBody, body);
      return result.ok ? [] : result.problems.map((p) => p.field);
    };
    expect(problems({ sql: ' ' })).toEqual(['sql']);
    expect(problems({ sql: 'select 1', limit: 0 })).toEqual(['limit']);
    expect(problems({ sql: 'select 1', limit: 10_001 })).toEqual(['limit']);
    expect(problems({ limit: 1.5 })).toEqual(['sql', 'limit']);
  });

  test('a saved query name is trimmed and required', () => {
    const result = validate(SavedQueryBody, { name: '  Orders  ', sql: 'select 1' });
    expect(result.ok && result.value.name).toBe('Orders');
    expect(validate(SavedQueryBody, { name: '', sql: 'select 1' }).ok).toBe(false);
  });
});
