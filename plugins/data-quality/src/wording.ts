import type { Quality } from './quality.ts';

/** A model's test counts by status, as `sdk.data.models()` lists them. */
export interface TestCounts {
  total: number;
  pass: number;
  fail: number;
  warn: number;
  error: number;
}

// What the plugin says, as pure functions: a message never claims more than the data shows. No run is "no tests
// ran", not "passed"; tests without a result are not counted as failing; a model without columns has none to test.

/** Tests that have a result (pass, warn, fail or error); skipped and not-run tests have none. */
export const ranOf = (counts: Pick<TestCounts, 'pass' | 'fail' | 'warn' | 'error'>) =>
  counts.pass + counts.fail + counts.warn + counts.error;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The headline of a model's or source's tests: `rate` (shown large) followed by `text`, or `text` alone when no
 * rate can be given; `belowBar` only once tests ran.
 */
export function testHeadline(
  q: Quality,
  minPassRate: number,
): { rate: number | null; text: string; belowBar: boolean } {
  if (q.tests === 0) return { rate: null, text: 'No tests yet.', belowBar: false };
  if (q.ran === 0)
    return {
      rate: null,
      text: `No tests ran: none of its ${plural(q.tests, 'test')} has a result yet.`,
      belowBar: false,
    };
  const rate = Math.round((q.passing / q.ran) * 100);
  const text =
    q.ran === q.tests
      ? `of ${plural(q.tests, 'test')} pass.`
      : `of the ${plural(q.ran, 'test')} that ran pass; ${q.tests - q.ran} did not run.`;
  return { rate, text, belowBar: rate < minPassRate };
}

const list = (names: string[]) =>
  names.length > 4 ? `${names.slice(0, 4).join(', ')} and ${names.length - 4} more` : names.join(', ');

/** What the columns say: untested and undocumented ones, or that the node documents none. */
export function columnsLine(q: Quality, kind: 'model' | 'source', flagUndocumented: boolean): string {
  if (q.columns === 0) return `This ${kind} has no documented columns.`;
  const tests =
    q.untestedColumns.length === 0
      ? q.columns === 1
        ? 'Its only column has a test.'
        : `Every one of its ${q.columns} columns has a test.`
      : `Columns without tests: ${list(q.untestedColumns)}.`;
  if (!flagUndocumented) return tests;
  const docs =
    q.undocumentedColumns.length === 0
      ? 'Every column is documented.'
      : `Undocumented: ${list(q.undocumentedColumns)}.`;
  return `${tests} ${docs}`;
}

/** The dashboard's line when no model has a failing test: what the last run shows, or that there was none. */
export function noFailuresLine(models: readonly { tests: TestCounts }[]): string {
  const total = models.reduce((sum, m) => sum + m.tests.total, 0);
  const ran = models.reduce((sum, m) => sum + ranOf(m.tests), 0);
  if (total === 0) return 'This project has no tests.';
  if (ran === 0) return `No tests ran yet: none of the ${plural(total, 'test')} has a result.`;
  if (ran < total) return `No failing tests among the ${plural(ran, 'test')} that ran; ${total - ran} did not run.`;
  return `No failing tests: all ${plural(total, 'test')} passed in the last run.`;
}

/** A row of the quality report: a model without tests, without results, or below the bar. */
export interface ReportRow<M> {
  model: M;
  total: number;
  rate: number | null;
  note: 'no tests' | 'not run yet' | null;
}

/** The report's rows, worst first, and the sentence under them (which never says "meets the bar" untested). */
export function qualityReport<M extends { tests: TestCounts }>(
  models: readonly M[],
  minPassRate: number,
): { rows: ReportRow<M>[]; verdict: string | null } {
  const all = models.map((model): ReportRow<M> => {
    const ran = ranOf(model.tests);
    const total = model.tests.total;
    if (total === 0) return { model, total, rate: null, note: 'no tests' };
    if (ran === 0) return { model, total, rate: null, note: 'not run yet' };
    return { model, total, rate: Math.round((model.tests.pass / ran) * 100), note: null };
  });
  const rows = all
    .filter((r) => r.rate === null || r.rate < minPassRate)
    .sort((a, b) => (a.rate ?? -1) - (b.rate ?? -1));
  const measured = all.filter((r) => r.rate !== null).length;
  let verdict: string | null = null;
  if (measured === 0)
    verdict =
      all.length === 0 ? 'This project has no models.' : 'No tests ran yet, so there are no pass rates to compare.';
  else if (rows.every((r) => r.rate === null))
    verdict = `Every model whose tests ran (${measured} of ${all.length}) meets the bar.`;
  return { rows, verdict };
}
