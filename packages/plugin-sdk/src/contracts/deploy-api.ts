import { z } from 'zod';
import { AccessEntry } from './access-request.ts';
import { defineRoute } from './http.ts';

// The routes `workbench-plugin deploy` calls, as a plugin team's tooling sees them. The app registers these routes
// from contracts built on these (same method, path and raw body), whose answers must satisfy what is declared
// here: a type test in the app fails when they drift. The app's answers carry more fields; these read only what a
// deploy needs and keep the rest.

/** A plugin as a deploy reads it from the server's answers. */
export const DeployedPlugin = z.looseObject({
  name: z.string(),
  version: z.string().optional(),
  /** `active`, `pending-approval`, `disabled`, `error`, ... as the server reports it. */
  state: z.string(),
  reason: z.string().optional(),
  /** What the version asks for, each with whether an admin approved it. */
  access: z.array(AccessEntry),
});
export type DeployedPlugin = z.infer<typeof DeployedPlugin>;

const ByName = z.object({ name: z.string() });
const ZIP = 'application/zip';

/** Whether the plugin is installed (404 `plugin_not_found` when not). */
export const getDeployedPlugin = defineRoute({
  method: 'GET',
  path: '/api/plugins/:name',
  params: ByName,
  responses: { 200: DeployedPlugin },
});

/** Installs a packed plugin (the zip as the raw body); it then waits for an admin's approval as any new plugin. */
export const installPackage = defineRoute({
  method: 'POST',
  path: '/api/plugins/install',
  rawBody: ZIP,
  responses: { 201: z.looseObject({ plugin: DeployedPlugin, warnings: z.array(z.string()) }) },
});

/** Updates an installed plugin: activated at once, or pending an admin's approval of what it newly asks for. */
export const updatePackage = defineRoute({
  method: 'POST',
  path: '/api/plugins/:name/update',
  params: ByName,
  rawBody: ZIP,
  responses: {
    200: z.looseObject({
      status: z.enum(['preview', 'activated', 'pending-approval']),
      plugin: DeployedPlugin.optional(),
      diff: z.looseObject({
        access: z.looseObject({ needsApproval: z.array(AccessEntry) }),
        warnings: z.array(z.string()).optional(),
      }),
    }),
  },
});
