// Pure rules of the model-health plugin: what counts as failing, and the summary of a workspace.
import type { NodeDetail } from '@dbt-workbench/plugin-sdk';

/** A row of the models list, as `host.data.models` answers it (the fields these rules read). */
export interface ModelRow {
  uniqueId: string;
  name: string;
  lastRun: { status: string } | null;
  tests: { fail: number; error: number };
}

const FAILED_RUNS: ReadonlySet<string> = new Set(['error', 'fail']);

/** A model fails when its last run errored or one of its tests failed or errored. */
export function isFailing(model: ModelRow): boolean {
  return FAILED_RUNS.has(model.lastRun?.status ?? '') || model.tests.fail + model.tests.error > 0;
}

export interface WorkspaceHealth {
  models: number;
  sources: number;
  failing: string[];
  maxFailing: number;
  healthy: boolean;
  recentRuns: string[];
}

/** The health of a workspace from its models, its sources' count, its recent runs' statuses and its threshold. */
export function workspaceHealth(
  models: readonly ModelRow[],
  sources: number,
  recentRuns: readonly string[],
  maxFailing: number,
): WorkspaceHealth {
  const failing = models.filter(isFailing).map((m) => m.name);
  return {
    models: models.length,
    sources,
    failing,
    maxFailing,
    healthy: failing.length <= maxFailing,
    recentRuns: [...recentRuns],
  };
}

/** One model's health: its undocumented columns, failing tests and direct neighbours. */
export function modelHealth(node: NodeDetail) {
  return {
    uniqueId: node.uniqueId,
    name: node.name,
    undocumentedColumns: node.columns.filter((c) => c.description.trim() === '').map((c) => c.name),
    failingTests: node.tests.filter((t) => t.status === 'fail' || t.status === 'error').map((t) => t.name),
    upstream: node.upstream.map((n) => n.name),
    downstream: node.downstream.map((n) => n.name),
  };
}
