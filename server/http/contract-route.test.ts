import { Writable } from 'node:stream';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { defineRoute } from '@dbt-workbench/plugin-sdk/contracts/http';
import { contractRoute } from './contract-route.ts';
import { frameworkOptions, HttpError, registerErrorHandling } from './errors.ts';

const Note = z.object({ id: z.string(), text: z.string() });
const saveNote = defineRoute({
  method: 'PUT',
  path: '/notes/:id',
  params: z.object({ id: z.string().regex(/^[a-z]+$/, 'must be lowercase letters') }),
  query: z.object({ draft: z.enum(['yes', 'no']).default('no') }),
  body: z.object({ text: z.string().min(1) }),
  responses: { 200: Note, 201: Note.extend({ created: z.literal(true) }) },
});
const brokenRoute = defineRoute({ method: 'GET', path: '/broken', responses: { 200: Note } });

let app: FastifyInstance;
const logged: string[] = [];
beforeAll(async () => {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      logged.push(String(chunk));
      done();
    },
  });
  app = Fastify({ ...frameworkOptions, loggerInstance: pino(stream) as FastifyBaseLogger });
  registerErrorHandling(app);
  const signedIn = async (request: { headers: Record<string, unknown> }) => {
    if (request.headers['x-user'] !== 'ann') throw new HttpError('unauthorized', 'Sign in first');
  };
  contractRoute(app, saveNote, { guards: [signedIn] }, async (request, reply) => {
    const note = { id: request.params.id, text: `${request.body.text} (${request.query.draft})`, secret: 's3cret' };
    if (request.params.id === 'new') {
      reply.status(201);
      return { ...note, created: true as const };
    }
    return note;
  });
  // A handler whose store hands back something else than the contract says: caught at run time as well.
  contractRoute(app, brokenRoute, {}, async () => JSON.parse('{"id": 7}') as z.output<typeof Note>);
  await app.ready();
});
afterAll(() => app.close());

const put = (url: string, payload: unknown, user = 'ann') =>
  app.inject({ method: 'PUT', url, payload: payload as object, headers: { 'x-user': user } });

describe('a route registered from its contract', () => {
  test('answers the parsed request, and only the fields its response schema lists', async () => {
    const response = await put('/notes/abc?draft=yes', { text: 'hello' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ id: 'abc', text: 'hello (yes)' });
    expect(response.body).not.toContain('s3cret');
  });

  test("serializes the answer of another listed status through that status's schema", async () => {
    const response = await put('/notes/new', { text: 'hi' });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ id: 'new', text: 'hi (no)', created: true });
  });

  test('a bad body, query or parameter is a 400 naming each wrong field', async () => {
    const body = await put('/notes/abc', { text: '', extra: 1 });
    expect(body.statusCode).toBe(400);
    expect(body.json().error).toMatchObject({
      code: 'bad_request',
      message: 'Invalid request body: text: Too small: expected string to have >=1 characters',
      details: [{ field: 'text', rule: 'min' }],
    });
    const query = await put('/notes/abc?draft=maybe', { text: 'x' });
    expect(query.json().error.message).toMatch(/^Invalid query: draft: /);
    const params = await put('/notes/ABC', { text: 'x' });
    expect(params.json().error.message).toBe('Invalid URL parameters: id: must be lowercase letters');
    const missing = await app.inject({ method: 'PUT', url: '/notes/abc', headers: { 'x-user': 'ann' } });
    expect(missing.json().error.message).toBe('Invalid request body: text: is required');
  });

  test('guards run before validation: a caller without rights learns nothing about the body', async () => {
    const response = await put('/notes/ABC', { wrong: true }, 'mallory');
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ error: { code: 'unauthorized', message: 'Sign in first' } });
  });

  test('an answer of the wrong shape is a logged 500 that leaks nothing of it', async () => {
    const response = await app.inject({ url: '/broken' });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({
      error: { code: 'internal_error', message: 'The server failed to handle this request; see its log.' },
    });
    expect(logged.join('')).toContain("Response doesn't match the schema");
  });

  test('a handler of the wrong shape does not compile', () => {
    // @ts-expect-error `text` is missing from the answer
    contractRoute(Fastify(), brokenRoute, {}, async () => ({ id: 'x' }));
    // @ts-expect-error the body has no `title`
    contractRoute(Fastify(), saveNote, {}, async (request) => ({ id: 'x', text: request.body.title }));
  });
});
