import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { sendNotFound } from '../http/errors.ts';

/** Paths the single-page app never owns: unknown ones there are real 404s, not app routes. */
const serverOwned = ['/api/', '/plugins/', '/plugin-frames/', '/isolation/'];

/**
 * Serves the built shell: hashed assets cached for good, `index.html` always revalidated, and every other
 * GET that asks for HTML answered with `index.html` so client-side routes work on reload.
 */
export async function registerShell(app: FastifyInstance, shellDir: string, logger: Logger): Promise<void> {
  const built = existsSync(path.join(shellDir, 'index.html'));
  if (!built) logger.warn({ shellDir }, 'the shell is not built (run `npm run build`); only the API is served');

  await app.register(fastifyStatic, {
    root: built ? shellDir : path.resolve('.'),
    serve: built,
    // Looked up per request, so a rebuilt shell is served without a restart.
    wildcard: true,
    index: false,
    // This hook runs for every sendFile, plugin assets included: only shell files are the shell's business.
    setHeaders(res, file) {
      if (!file.startsWith(shellDir + path.sep)) return;
      const hashed = file.includes(`${path.sep}assets${path.sep}`);
      res.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });

  // The wildcard static route would answer `/` (a directory) with 403; the app's entry page is index.html.
  if (built)
    app.get('/', (_request, reply) => reply.header('cache-control', 'no-cache').sendFile('index.html', shellDir));

  app.setNotFoundHandler((request, reply) => {
    const wantsPage = request.method === 'GET' && (request.headers.accept ?? '').includes('text/html');
    if (built && wantsPage && !serverOwned.some((prefix) => request.url.startsWith(prefix))) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html', shellDir);
    }
    return sendNotFound(request.url, reply);
  });
}
