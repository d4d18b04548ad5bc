import type { Run } from '@dbt-workbench/plugin-sdk/contracts/runs.schema';

/** What started a run: "manual" or "schedule “nightly”". */
export function triggerLabel(run: Run): string {
  if (run.trigger === 'manual') return 'manual';
  if (run.trigger === 'plugin')
    return `trigger “${run.pluginTrigger?.name ?? '?'}” of ${run.pluginTrigger?.plugin ?? 'a plugin'}`;
  return run.schedule?.name ? `schedule “${run.schedule.name}”` : 'schedule (deleted)';
}

/** Who started a run: the user, or "scheduler". */
export function whoLabel(run: Run): string {
  if (run.trigger === 'schedule') return 'scheduler';
  if (run.trigger === 'plugin') return run.pluginTrigger?.plugin ?? 'a plugin';
  return run.triggeredBy?.username ?? 'deleted user';
}

/** A short run id for headings and links: the first 8 characters. */
export const shortId = (id: string) => id.slice(0, 8);
