import { z } from 'zod';

/** What a plugin may ask the host to do (SPEC 4.3). Each gates the host functions that need it. */
export const Capability = z.enum([
  'read-metadata',
  'write-metadata',
  'extend-api',
  'modify-lineage',
  'access-sql-workspace',
  'register-schedule-hooks',
  'access-environment-config',
  'intercept-tool-calls',
]);
export type Capability = z.infer<typeof Capability>;

/** One line an admin reads when reviewing a capability before approving it. */
export const capabilityDescriptions: Record<Capability, string> = {
  'read-metadata': 'Read models, sources, columns and run results of the workspace',
  'write-metadata': 'Add fields to models and columns, and entries to the catalog search index',
  'extend-api': 'Serve its own HTTP routes under /api/ext/<plugin>/',
  'modify-lineage': 'Add overlays and transforms to the lineage graph (on a copy)',
  'access-sql-workspace': 'Run SQL against the workspace database',
  'register-schedule-hooks': 'Register scheduler triggers and run hooks',
  'access-environment-config': 'Read the environment variables granted to it',
  'intercept-tool-calls':
    'See every tool call in the workspaces where it is enabled (tool, arguments, caller, outcome) and refuse calls by its own policy',
};
