import { z } from 'zod';

/**
 * `POST /api/plugins/bulk`: one admin action on several plugins, each audited as if done alone, with one refresh at
 * the end. `approve` needs each plugin's reviewed `version` (refused for a plugin whose version changed since);
 * `disable` of a plugin others depend on needs `confirm` (they go inactive until it is back).
 */
export const BulkPluginRequest = z.object({
  action: z.enum(['approve', 'enable', 'disable']),
  plugins: z
    .array(z.object({ name: z.string().min(1), version: z.string().min(1).optional() }))
    .min(1)
    .max(500),
  confirm: z.boolean().optional(),
});
export type BulkPluginRequest = z.infer<typeof BulkPluginRequest>;

/** Each plugin's outcome, in the order asked: done, or the error it would have got alone. */
export const BulkPluginResult = z.object({
  results: z.array(
    z.object({
      name: z.string(),
      ok: z.boolean(),
      error: z.object({ code: z.string(), message: z.string() }).optional(),
    }),
  ),
});
export type BulkPluginResult = z.infer<typeof BulkPluginResult>;
