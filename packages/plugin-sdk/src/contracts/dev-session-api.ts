import { z } from 'zod';
import { defineRoute } from './http.ts';

// The routes `workbench-plugin dev --server` calls: a developer's dev build of an approved plugin, for that
// developer's own sessions only. The app registers these routes from contracts built on these (same method, path
// and request bodies), whose answers must satisfy what is declared here: a type test in the app fails when they
// drift. The answers are read as loose objects: the app may add fields.

const ByName = z.object({ name: z.string() });

/** The absolute URL of the dev build's remote entry, on the developer's own dev server. */
const DevEntry = z
  .string()
  .url('must be an absolute http(s) URL')
  .refine((url) => /^https?:\/\//.test(url), 'must be an absolute http(s) URL');

/**
 * Starts (or replaces) a dev session: the dev build's manifest (without its signature: a dev build is not what was
 * signed) and its remote entry; no entry for a plugin without a frontend (its session carries a backend dev slot
 * only). The server checks the manifest against the approved version.
 */
export const DevSessionRequest = z.object({
  manifest: z.record(z.string(), z.unknown()),
  entry: DevEntry.optional(),
});
export type DevSessionRequest = z.infer<typeof DevSessionRequest>;

/**
 * A rebuild, optionally at a new entry URL on the same dev server (each build under its own path, so the browser
 * loads the new chunks rather than the old ones).
 */
export const DevBuildRequest = z.object({ entry: DevEntry.optional() });
export type DevBuildRequest = z.infer<typeof DevBuildRequest>;

/** Why `file` may not be a path inside `backend/`, or undefined. Pure. */
function backendPathProblem(file: string): string | undefined {
  if (!/^[\w.-]+(\/[\w.-]+)*$/.test(file)) return 'must be a relative path of letters, digits, ".", "_" and "-"';
  if (file.split('/').some((segment) => segment === '.' || segment === '..')) return 'must not contain . or ..';
  return undefined;
}

/** The files of the dev build's `backend/` folder, by path inside it, base64-encoded (1 to 500 files). */
export const DevBackendRequest = z.object({
  files: z.record(z.string(), z.string().base64('must be base64')).superRefine((files, context) => {
    const paths = Object.keys(files);
    if (paths.length === 0) context.addIssue({ code: 'custom', message: 'must name at least one file' });
    if (paths.length > 500) context.addIssue({ code: 'custom', message: 'may hold at most 500 files' });
    for (const file of paths) {
      const problem = backendPathProblem(file);
      if (problem) context.addIssue({ code: 'custom', path: [file], message: `"${file}" ${problem}` });
    }
  }),
});
export type DevBackendRequest = z.infer<typeof DevBackendRequest>;

/** A dev session as the server answers it. */
export const DevSessionAnswer = z.looseObject({
  plugin: z.string(),
  /** The dev manifest's version. */
  version: z.string(),
  /** The remote entry the developer's shells load; none for a plugin without a frontend. */
  entry: z.string().optional(),
  /** Changes on every rebuild, so the developer's shells load the new code. */
  revision: z.string(),
  /** The session ends then unless a heartbeat (or a rebuild) extends it. */
  expiresAt: z.string(),
  /** How often to beat: a quarter of the session's life, so a beat or two may be lost without ending it. */
  heartbeatSeconds: z.number().int().positive(),
  /**
   * True when the server that ran the developer's backend dev slot restarted since its last upload, so the slot no
   * longer runs: upload backend/ again (the CLI does at once). Absent otherwise.
   */
  backendLost: z.literal(true).optional(),
});
export type DevSessionAnswer = z.infer<typeof DevSessionAnswer>;

const path = '/api/plugins/:name/dev-session';

/** Starts or replaces the caller's dev session of an installed, approved, active plugin (404, 409 otherwise). */
export const startDevSession = defineRoute({
  method: 'PUT',
  path,
  params: ByName,
  body: DevSessionRequest,
  responses: { 200: DevSessionAnswer },
});

/** Announces a rebuild, so the developer's shells reload it (404 without a session; the entry keeps its origin). */
export const announceDevBuild = defineRoute({
  method: 'POST',
  path: `${path}/builds`,
  params: ByName,
  body: DevBuildRequest,
  responses: { 200: DevSessionAnswer },
});

/** Keeps the session alive (404 once it ended: start it again). */
export const beatDevSession = defineRoute({
  method: 'POST',
  path: `${path}/heartbeat`,
  params: ByName,
  responses: { 200: DevSessionAnswer },
});

/** Deploys the dev build's backend code to the developer's dev slot (404 without a session, 409 when it fails). */
export const deployDevBackend = defineRoute({
  method: 'PUT',
  path: `${path}/backend`,
  params: ByName,
  body: DevBackendRequest,
  responses: {
    200: z.looseObject({
      plugin: z.string(),
      /** Which upload this is, counting from 1. */
      build: z.number().int(),
    }),
  },
});

/** Ends the session and its backend dev slot: 204 (404 when there is none). */
export const endDevSession = defineRoute({
  method: 'DELETE',
  path,
  params: ByName,
  responses: { 204: z.undefined() },
});
