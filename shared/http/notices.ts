import { z } from 'zod';
import { defineRoute } from '@dbt-workbench/plugin-sdk/contracts/http';
import { AdminNoticeList } from '../plugin-budgets.schema.ts';

// Notices to instance admins (a plugin disabled automatically, or over budget) until one of them dismisses it.

export const listNotices = defineRoute({
  method: 'GET',
  path: '/api/notices',
  responses: { 200: AdminNoticeList },
});

/** Answers 204 with no body. */
export const dismissNotice = defineRoute({
  method: 'POST',
  path: '/api/notices/:id/dismiss',
  params: z.object({ id: z.string() }),
  responses: { 204: z.undefined() },
});
