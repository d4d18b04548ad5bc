import { z } from 'zod';
import {
  announceDevBuild,
  beatDevSession,
  DevSessionAnswer as SdkDevSessionAnswer,
  deployDevBackend,
  endDevSession,
  startDevSession,
} from '@dbt-workbench/plugin-sdk/contracts/dev-session-api';
import { defineRoute } from '@dbt-workbench/plugin-sdk/contracts/http';

// A developer's dev build of an approved plugin, for their own sessions only (`workbench-plugin dev --server`):
// instance admins, at the console or with an API token of scope plugins:dev. The routes and request bodies are the
// SDK's (what the CLI sends); the answers are the SDK's declared shapes, made exact (fields it does not list never
// leave).

/** A dev session as the server answers it: the SDK's fields, and no others. */
export const DevSessionAnswer = z.object(SdkDevSessionAnswer.shape);
export type DevSessionAnswer = z.infer<typeof DevSessionAnswer>;

/** Starts or replaces the caller's dev session (404 unknown plugin; 409 not active, or a manifest beyond approval). */
export const putDevSession = defineRoute({ ...startDevSession, responses: { 200: DevSessionAnswer } });

/** A rebuild: the developer's shells reload it. */
export const postDevBuild = defineRoute({ ...announceDevBuild, responses: { 200: DevSessionAnswer } });

/** Keeps the session alive. */
export const postDevHeartbeat = defineRoute({ ...beatDevSession, responses: { 200: DevSessionAnswer } });

/** Runs the uploaded backend/ in the developer's dev slot. */
export const putDevBackend = defineRoute({
  ...deployDevBackend,
  responses: { 200: z.object({ plugin: z.string(), build: z.number().int() }) },
});

/** Ends the session and its dev slot: 204, no body (the SDK's contract as it is). */
export const deleteDevSession = endDevSession;
