import { describe, expect, test } from 'vitest';
import { explainMissingTable, missingTableOf } from './missing-table.ts';
import { duckdbPathsInProfiles, modelsUnavailableReason } from './models-source.ts';

const snowflake = {
  available: false as const,
  reason: modelsUnavailableReason({ adapter: 'snowflake', projectName: null, relations: [] }),
};

describe('a missing table in the workspace’s terms', () => {
  test("DuckDB's catalog errors name the table, with or without a schema", () => {
    expect(
      missingTableOf('Catalog Error: Table with name raw_orders does not exist!\nDid you mean "pg_attrdef"?'),
    ).toBe('raw_orders');
    expect(
      missingTableOf('Catalog Error: Table with name "nope.x" does not exist because schema "nope" does not exist.'),
    ).toBe('nope.x');
    expect(missingTableOf('Binder Error: Referenced column "x" not found')).toBeUndefined();
  });

  test("DuckDB's own catalog tables are never suggested; a real table is", () => {
    const context = { seeds: ['raw_orders'], models: snowflake, projectRelations: new Map() };
    const internal = explainMissingTable(
      'Catalog Error: Table with name orderz does not exist!\nDid you mean "pg_attrdef"?',
      context,
    );
    expect(internal).toBe(
      "Table orderz is not available in this workspace. This workspace's models are not in a database the app can " +
        'read: its target is Snowflake. Its seeds are raw_orders.',
    );
    expect(
      explainMissingTable(
        'Catalog Error: Table with name raw_order does not exist!\nDid you mean "raw_orders"?',
        context,
      ),
    ).toContain('Did you mean "raw_orders"?');
  });

  test('a model that is in the project but not in its database says which', () => {
    const message = explainMissingTable('Catalog Error: Table with name main.Orders does not exist!', {
      seeds: [],
      models: { available: true, file: 'shop.duckdb' },
      projectRelations: new Map([['orders', 'model']]),
    });
    expect(message).toBe(
      "Table main.Orders is not available in this workspace: it is one of the project's models, but shop.duckdb " +
        'does not hold it (it failed to build, or was not built since it was added).',
    );
  });

  test("profiles.yml's DuckDB paths are read, comments and quotes aside", () => {
    const profiles = [
      'shop:',
      '  outputs:',
      '    dev:',
      '      type: duckdb',
      '      path: "dev.duckdb"  # local',
      '    ci:',
      "      path: ':memory:'",
      '    other:',
      '      path: /data/not-a-database.csv',
    ].join('\n');
    expect(duckdbPathsInProfiles(profiles)).toEqual(['dev.duckdb', ':memory:']);
    expect(modelsUnavailableReason({ adapter: 'duckdb', projectName: null, relations: [] }, ':memory:')).toBe(
      "This workspace's target is an in-memory DuckDB, which keeps no models once dbt ends.",
    );
    expect(modelsUnavailableReason({ adapter: 'clickhouse', projectName: null, relations: [] })).toContain(
      'its target is ClickHouse.',
    );
  });
});
