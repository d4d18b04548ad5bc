import { z } from 'zod';

/** Lifecycle events delivered to plugin backends, in order, per plugin (SPEC 4.6). */
export const LifecycleEvent = z.enum([
  'on-plugin-load',
  'on-plugin-unload',
  'on-plugin-update',
  'on-artifact-load',
  'on-lineage-build',
  'on-catalog-refresh',
  'on-schedule-run-start',
  'on-schedule-run-complete',
  'on-run-complete',
]);
export type LifecycleEvent = z.infer<typeof LifecycleEvent>;
