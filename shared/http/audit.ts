import { z } from 'zod';
import { defineRoute } from '@dbt-workbench/plugin-sdk/contracts/http';
import { AuditPage } from '../installation.schema.ts';

/** Every admin action, newest first, filtered and paged; instance admins only. */
export const listAudit = defineRoute({
  method: 'GET',
  path: '/api/audit',
  query: z.object({
    action: z.string().min(1).optional(),
    /** The plugin (or user) acted on. */
    target: z.string().min(1).optional(),
    /** Only entries older than this `at` (paging). */
    before: z.string().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  }),
  responses: { 200: AuditPage },
});
