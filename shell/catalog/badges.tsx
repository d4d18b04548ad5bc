import type { TestCounts, TestStatus } from '@dbt-workbench/plugin-sdk/contracts/catalog.schema';
import { typeLabel } from './format.ts';

const testTone: Record<TestStatus, string> = {
  pass: 'wb-badge-good',
  fail: 'wb-badge-bad',
  error: 'wb-badge-bad',
  warn: 'wb-badge-warn',
  skipped: 'wb-badge-neutral',
  'not-run': 'wb-badge-neutral',
};

/** Tone of a dbt run status (`success`, `error`, `pass`, `fail`, `warn`, `skipped`, ...). */
export function runTone(status: string | null | undefined): string {
  switch (status) {
    case 'success':
    case 'pass':
      return 'wb-badge-good';
    case 'error':
    case 'fail':
    case 'runtime error':
      return 'wb-badge-bad';
    case 'warn':
    case 'partial success':
      return 'wb-badge-warn';
    default:
      return 'wb-badge-neutral';
  }
}

/** A test's last status as a coloured badge, optionally with the test's name in front. */
export function TestBadge({ status, label }: { status: TestStatus; label?: string }) {
  return (
    <span
      className={`wb-badge wb-cat-test ${testTone[status]}`}
      data-testid="test-badge"
      data-status={status}
      title={label ? `${label}: ${status}` : status}
    >
      {label ? `${label} · ${status}` : status}
    </span>
  );
}

/** A node's last run status, or "not run". */
export function RunBadge({ status }: { status: string | null | undefined }) {
  return (
    <span className={`wb-badge ${runTone(status)}`} data-testid="run-badge" data-status={status ?? 'not-run'}>
      {status ?? 'not run'}
    </span>
  );
}

/** The resource type as a small label (model, source, seed, ...). */
export function TypeBadge({ type }: { type: string }) {
  return <span className={`wb-cat-type wb-cat-type-${type}`}>{typeLabel(type)}</span>;
}

/** Tests of a node in one line: `3 pass · 1 fail`, or a dash when it has none. */
export function TestSummary({ counts }: { counts: TestCounts }) {
  if (counts.total === 0) return <span className="wb-muted">—</span>;
  const parts: [TestStatus, number][] = [
    ['fail', counts.fail],
    ['error', counts.error],
    ['warn', counts.warn],
    ['pass', counts.pass],
    ['skipped', counts.skipped],
    ['not-run', counts.notRun],
  ];
  return (
    <span className="wb-cat-test-summary">
      {parts
        .filter(([, n]) => n > 0)
        .map(([status, n]) => (
          <span key={status} className={`wb-badge ${testTone[status]}`} data-status={status}>
            {n} {status}
          </span>
        ))}
    </span>
  );
}
