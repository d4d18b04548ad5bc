import { z } from 'zod';

/**
 * What a plugin may cost before it is disabled automatically: the share of failing calls, the p95 time of its
 * hooks and events, and restarts of its backend, each over `windowMs`. Settings give every plugin the same
 * budget (PLUGIN_BUDGET_*); an admin may override one plugin's.
 */
export const PluginBudget = z.object({
  /** Largest share of failing calls, 0 to 1; judged only once `minCalls` calls were made in the window. */
  errorRate: z.number().min(0).max(1),
  /** Largest p95 time of the plugin's hooks and events, in ms. */
  p95Ms: z.number().int().positive(),
  /** Most restarts of its backend in the window. */
  restarts: z.number().int().min(0),
  minCalls: z.number().int().min(0),
  /** How long a plugin must stay over budget before it is disabled. */
  windowMs: z.number().positive(),
  /** Off: over-budget plugins are reported, never disabled. */
  autoDisable: z.boolean(),
});
export type PluginBudget = z.infer<typeof PluginBudget>;
/** The budget of every plugin an admin did not override, from settings. */
export type PluginBudgetDefaults = PluginBudget;

/** The figures of a budget an admin may override per plugin. */
export const BudgetFigure = z.enum(['errorRate', 'p95Ms', 'restarts']);
export type BudgetFigure = z.infer<typeof BudgetFigure>;

/** An admin's overrides of one plugin's budget; `null` uses the default. */
export const BudgetOverrides = z.object({
  errorRate: PluginBudget.shape.errorRate.nullable(),
  p95Ms: PluginBudget.shape.p95Ms.nullable(),
  restarts: PluginBudget.shape.restarts.nullable(),
});
export type BudgetOverrides = z.infer<typeof BudgetOverrides>;

/**
 * `PUT /api/plugins/:name/budget`: each figure a number, or `null` to go back to the default; a figure left out
 * keeps its current override.
 *
 * @example { "errorRate": 0.2, "p95Ms": null }
 */
export const BudgetOverridesBody = BudgetOverrides.partial().strict();
export type BudgetOverridesBody = z.infer<typeof BudgetOverridesBody>;

/** One figure of a budget that is exceeded, with a sentence naming the figure and the budget. */
export const BudgetBreach = z.object({
  figure: BudgetFigure,
  /** The measured figure: a share for `errorRate`, ms for `p95Ms`, a count for `restarts`. */
  value: z.number(),
  limit: z.number(),
  /** For example "error rate 100% over the last 60 s, budget 50%". */
  message: z.string(),
});
export type BudgetBreach = z.infer<typeof BudgetBreach>;

/** `GET /api/plugins/:name/budget`: the budget in force, what it is made of, and how the plugin fares now. */
export const PluginBudgetStatus = z.object({
  plugin: z.string(),
  defaults: PluginBudget,
  overrides: BudgetOverrides,
  effective: PluginBudget,
  /** What the plugin exceeds over its current window (since it was last enabled, at most `windowMs`). */
  breaches: z.array(BudgetBreach),
  /** When the current stretch over budget began; null when within budget. */
  overBudgetSince: z.string().nullable(),
  /** Set while the plugin is disabled automatically, until an admin enables it. */
  autoDisabled: z.object({ reason: z.string(), at: z.string() }).nullable(),
});
export type PluginBudgetStatus = z.infer<typeof PluginBudgetStatus>;

/** A message to instance admins shown in the app until one of them dismisses it. */
export const AdminNotice = z.object({
  id: z.string(),
  at: z.string(),
  /** `plugin-auto-disabled`: a plugin was disabled for staying over budget; `plugin-over-budget`: the same with
   * automatic disable off (PLUGIN_BUDGET_AUTO_DISABLE=false), so nothing was disabled. */
  kind: z.enum(['plugin-auto-disabled', 'plugin-over-budget']),
  plugin: z.string().nullable(),
  message: z.string(),
});
export type AdminNotice = z.infer<typeof AdminNotice>;

/** `GET /api/notices`: the notices no admin dismissed yet, newest first. */
export const AdminNoticeList = z.object({ notices: z.array(AdminNotice) });
export type AdminNoticeList = z.infer<typeof AdminNoticeList>;
