import { describe, expect, test } from 'vitest';
import type { Quality } from './quality.ts';
import { columnsLine, noFailuresLine, qualityReport, testHeadline } from './wording.ts';

const quality = (q: Partial<Quality>): Quality => ({
  tests: 0,
  ran: 0,
  passing: 0,
  failing: [],
  columns: 0,
  untestedColumns: [],
  undocumentedColumns: [],
  ...q,
});

const counts = (c: Partial<{ total: number; pass: number; fail: number; warn: number; error: number }>) => ({
  tests: { total: 0, pass: 0, fail: 0, warn: 0, error: 0, ...c },
});

const sentence = (h: { rate: number | null; text: string }) => (h.rate === null ? h.text : `${h.rate}% ${h.text}`);

describe('data-quality wording: never claims what it does not know', () => {
  test('tests without a result are "no tests ran", not 0% below the bar', () => {
    const none = testHeadline(quality({ tests: 24, ran: 0 }), 90);
    expect(sentence(none)).toBe('No tests ran: none of its 24 tests has a result yet.');
    expect(none.belowBar).toBe(false);
    expect(sentence(testHeadline(quality({ tests: 0 }), 90))).toBe('No tests yet.');
  });

  test('the pass rate counts only tests that ran, and says how many did not', () => {
    const all = testHeadline(quality({ tests: 4, ran: 4, passing: 3 }), 90);
    expect(sentence(all)).toBe('75% of 4 tests pass.');
    expect(all.belowBar).toBe(true);
    const some = testHeadline(quality({ tests: 10, ran: 4, passing: 4 }), 90);
    expect(sentence(some)).toBe('100% of the 4 tests that ran pass; 6 did not run.');
    expect(some.belowBar).toBe(false);
    expect(sentence(testHeadline(quality({ tests: 1, ran: 1, passing: 1 }), 90))).toBe('100% of 1 test pass.');
  });

  test('a model without columns has no documented columns, not "every column has a test"', () => {
    expect(columnsLine(quality({ columns: 0 }), 'model', true)).toBe('This model has no documented columns.');
    expect(columnsLine(quality({ columns: 0 }), 'source', false)).toBe('This source has no documented columns.');
    expect(columnsLine(quality({ columns: 2 }), 'model', true)).toBe(
      'Every one of its 2 columns has a test. Every column is documented.',
    );
    expect(
      columnsLine(
        quality({ columns: 6, untestedColumns: ['a', 'b', 'c', 'd', 'e'], undocumentedColumns: ['e'] }),
        'model',
        true,
      ),
    ).toBe('Columns without tests: a, b, c, d and 1 more. Undocumented: e.');
    expect(columnsLine(quality({ columns: 1, undocumentedColumns: ['x'] }), 'model', false)).toBe(
      'Its only column has a test.',
    );
  });

  test('the dashboard says "no tests ran yet" when no test has a result, "passed" only when all did', () => {
    expect(noFailuresLine([counts({ total: 20 }), counts({ total: 4 })])).toBe(
      'No tests ran yet: none of the 24 tests has a result.',
    );
    expect(noFailuresLine([counts({})])).toBe('This project has no tests.');
    expect(noFailuresLine([counts({ total: 5, pass: 3 })])).toBe(
      'No failing tests among the 3 tests that ran; 2 did not run.',
    );
    expect(noFailuresLine([counts({ total: 2, pass: 2 }), counts({ total: 1, pass: 1 })])).toBe(
      'No failing tests: all 3 tests passed in the last run.',
    );
  });

  test('the report lists models without results as "not run yet" and never says every model meets the bar untested', () => {
    const models = [
      { name: 'a', ...counts({ total: 3 }) },
      { name: 'b', ...counts({}) },
    ];
    const untested = qualityReport(models, 90);
    expect(untested.rows.map((r) => [r.model.name, r.note])).toEqual([
      ['a', 'not run yet'],
      ['b', 'no tests'],
    ]);
    expect(untested.verdict).toBe('No tests ran yet, so there are no pass rates to compare.');

    const mixed = qualityReport([...models, { name: 'c', ...counts({ total: 2, pass: 2 }) }], 90);
    expect(mixed.verdict).toBe('Every model whose tests ran (1 of 3) meets the bar.');
    const below = qualityReport([{ name: 'd', ...counts({ total: 4, pass: 1, fail: 1 }) }], 90);
    expect(below.rows.map((r) => [r.model.name, r.rate])).toEqual([['d', 50]]);
    expect(below.verdict).toBeNull();
    expect(qualityReport([], 90).verdict).toBe('This project has no models.');
  });
});
