import { z } from 'zod';
import { defineRoute } from '@dbt-workbench/plugin-sdk/contracts/http';
import { BudgetOverridesBody, PluginBudgetStatus } from '../plugin-budgets.schema.ts';
import { PluginDiagnosticsAnswer } from '../plugin-diagnostics.schema.ts';
import { PluginLogPage, PluginLogQuery } from '../plugin-logs.schema.ts';
import { FrontendEventBatch, FrontendStats } from '../telemetry.schema.ts';

// Running plugins as an operator: budgets, logs, backend diagnostics and what shells report of their frontends.
// Instance admins only, except telemetry, which every signed-in shell sends for the plugins it shows.

const ByName = z.object({ name: z.string() });

/** The plugin's budget: the server's defaults, its overrides, what is in force and how it fares. */
export const getPluginBudget = defineRoute({
  method: 'GET',
  path: '/api/plugins/:name/budget',
  params: ByName,
  responses: { 200: PluginBudgetStatus },
});

/** Changes some overrides (the others stay); audited. */
export const setPluginBudget = defineRoute({
  method: 'PUT',
  path: '/api/plugins/:name/budget',
  params: ByName,
  body: BudgetOverridesBody,
  responses: { 200: PluginBudgetStatus },
});

/** A page of the plugin's log, newest first (the live tail is the event stream `/logs/stream`). */
export const getPluginLogs = defineRoute({
  method: 'GET',
  path: '/api/plugins/:name/logs',
  params: ByName,
  query: PluginLogQuery,
  responses: { 200: PluginLogPage },
});

export const getPluginDiagnostics = defineRoute({
  method: 'GET',
  path: '/api/plugins/:name/diagnostics',
  params: ByName,
  responses: { 200: PluginDiagnosticsAnswer },
});

/** Per plugin, what shells reported of its frontend since the server started. */
export const getFrontendStats = defineRoute({
  method: 'GET',
  path: '/api/plugins/:name/frontend-stats',
  params: ByName,
  responses: { 200: FrontendStats },
});

/** Load times and errors of plugin frontends, for plugins shown to the caller only; answers 204. */
export const reportTelemetry = defineRoute({
  method: 'POST',
  path: '/api/plugins/telemetry',
  body: FrontendEventBatch,
  responses: { 204: z.undefined() },
});
