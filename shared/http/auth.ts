import { z } from 'zod';
import { defineRoute } from '@dbt-workbench/plugin-sdk/contracts/http';
import { Me } from '../api.schema.ts';

// Sessions: sign in (a session cookie, rate-limited and throttled), sign out, and who is signed in.

export const signIn = defineRoute({
  method: 'POST',
  path: '/api/auth/login',
  body: z.object({
    username: z.string().min(1, 'must not be empty'),
    password: z.string().min(1, 'must not be empty'),
  }),
  responses: { 200: Me },
});

export const signOut = defineRoute({
  method: 'POST',
  path: '/api/auth/logout',
  responses: { 200: z.object({ ok: z.literal(true) }) },
});

export const getMe = defineRoute({
  method: 'GET',
  path: '/api/auth/me',
  responses: { 200: Me },
});
