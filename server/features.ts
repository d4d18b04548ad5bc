import type { Feature } from './context.ts';

/** The host's features, started in this order and stopped in reverse. Add one line per feature. */
export const features: readonly Feature[] = [
  // feature list
];
