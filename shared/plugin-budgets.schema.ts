import { z } from 'zod';

/**
 * What a plugin may cost before it is disabled automatically: the share of failing calls, the p95 time of its
 * hooks and events, and restarts of its backend, each over `windowMs`. Settings give every plugin the same
 * budget (PLUGIN_BUDGET_*); an admin may override one plugin's.
 */
export interface PluginBudgetDefaults {
  /** Largest share of failing calls, 0 to 1; judged only once `minCalls` calls were made in the window. */
  errorRate: number;
  p95Ms: number;
  restarts: number;
  minCalls: number;
  /** How long a plugin must stay over budget before it is disabled. */
  windowMs: number;
  /** Off: over-budget plugins are reported, never disabled. */
  autoDisable: boolean;
}
