import type { NodeDetail } from '@dbt-workbench/plugin-sdk';

export interface Quality {
  tests: number;
  /** Tests with a result: passed, warned, failed or errored (not skipped, not run). */
  ran: number;
  passing: number;
  failing: { name: string; column: string | null; status: string }[];
  /** Documented columns. */
  columns: number;
  untestedColumns: string[];
  undocumentedColumns: string[];
}

const FAILING = new Set(['fail', 'error', 'warn']);
const RAN = new Set(['pass', ...FAILING]);

/** What a node's tests and column docs say about it. Pure. */
export function qualityOf(node: NodeDetail): Quality {
  const tested = new Set(node.columns.filter((c) => c.tests.length > 0).map((c) => c.name));
  return {
    tests: node.tests.length,
    ran: node.tests.filter((t) => RAN.has(t.status)).length,
    passing: node.tests.filter((t) => t.status === 'pass').length,
    failing: node.tests
      .filter((t) => FAILING.has(t.status))
      .map((t) => ({ name: t.testName ?? t.name, column: t.columnName, status: t.status })),
    columns: node.columns.length,
    untestedColumns: node.columns.filter((c) => !tested.has(c.name)).map((c) => c.name),
    undocumentedColumns: node.columns.filter((c) => !c.description).map((c) => c.name),
  };
}

/** Median of numbers; 0 for none. */
export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
