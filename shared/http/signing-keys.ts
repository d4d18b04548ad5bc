import { z } from 'zod';
import { defineRoute } from '@dbt-workbench/plugin-sdk/contracts/http';
import { AddSigningKeyBody, SigningKey, SigningKeyList } from '../signing-keys.schema.ts';

// The public keys plugin signatures are checked against (instance admins); changes re-evaluate every plugin.

export const listSigningKeys = defineRoute({
  method: 'GET',
  path: '/api/signing-keys',
  responses: { 200: SigningKeyList },
});

export const addSigningKey = defineRoute({
  method: 'POST',
  path: '/api/signing-keys',
  body: AddSigningKeyBody,
  responses: { 201: SigningKey },
});

/** Keys from PLUGIN_TRUSTED_KEYS cannot be removed here (409): change that file. */
export const removeSigningKey = defineRoute({
  method: 'DELETE',
  path: '/api/signing-keys/:id',
  params: z.object({ id: z.string() }),
  responses: { 200: SigningKeyList },
});
