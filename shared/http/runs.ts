import { z } from 'zod';
import { defineRoute } from '@dbt-workbench/plugin-sdk/contracts/http';
import { Run, RunList, RunListQuery, RunLog, RunLogQuery } from '@dbt-workbench/plugin-sdk/contracts/runs.schema';

// A workspace's dbt runs: viewers read them and their logs, developers start and cancel them.

const InWorkspace = z.object({ workspace: z.string() });
const RunParams = InWorkspace.extend({ id: z.string() });

export const listRuns = defineRoute({
  method: 'GET',
  path: '/api/workspaces/:workspace/runs',
  params: InWorkspace,
  query: RunListQuery,
  responses: { 200: RunList },
});

/** Starts a run of the workspace's configured command. */
export const startRun = defineRoute({
  method: 'POST',
  path: '/api/workspaces/:workspace/runs',
  params: InWorkspace,
  responses: { 201: Run },
});

export const getRun = defineRoute({
  method: 'GET',
  path: '/api/workspaces/:workspace/runs/:id',
  params: RunParams,
  responses: { 200: Run },
});

/** The log's chunks after `after`, oldest first, a page at a time. */
export const getRunLog = defineRoute({
  method: 'GET',
  path: '/api/workspaces/:workspace/runs/:id/log',
  params: RunParams,
  query: RunLogQuery,
  responses: { 200: RunLog },
});

export const cancelRun = defineRoute({
  method: 'POST',
  path: '/api/workspaces/:workspace/runs/:id/cancel',
  params: RunParams,
  responses: { 200: Run },
});
