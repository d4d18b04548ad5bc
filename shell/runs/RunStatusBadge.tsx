import type { RunStatus } from '@dbt-workbench/plugin-sdk/contracts/runs.schema';

const tone: Record<RunStatus, string> = {
  queued: 'wb-badge-neutral',
  running: 'wb-run-badge-running',
  success: 'wb-badge-good',
  failed: 'wb-badge-bad',
  cancelled: 'wb-badge-neutral',
  interrupted: 'wb-badge-warn',
};

/** A run's status as a coloured badge; `running` pulses. */
export function RunStatusBadge({ status }: { status: RunStatus }) {
  return (
    <span className={`wb-badge ${tone[status]}`} data-testid="run-status" data-status={status}>
      {status}
    </span>
  );
}
