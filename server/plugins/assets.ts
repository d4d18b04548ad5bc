import type { FastifyInstance } from 'fastify';
import type { Guards } from '../auth/guards.ts';
import { HttpError } from '../http/errors.ts';
import type { PluginRegistry, RegisteredPlugin } from './registry.ts';

/** The URL of a file inside a plugin's folder, e.g. `assetUrl(p, 'static/icon.svg')`. Only this revision is served. */
export function assetUrl(plugin: RegisteredPlugin, file: string): string {
  return `/plugins/${plugin.name}/${plugin.revision}/${file}`;
}

const servedFolders = ['frontend/', 'static/'];

/**
 * Serves `/plugins/<name>/<revision>/{frontend,static}/...`. The revision changes with every build, so a URL
 * always means the same bytes and can be cached for good; an outdated revision answers 404 rather than
 * mixing builds. Frontend code is served only for active plugins; static files (icons, screenshots) for any
 * plugin with a readable manifest, so the admin pages can show them.
 */
export function registerPluginAssetRoutes(app: FastifyInstance, registry: PluginRegistry, guards: Guards): void {
  app.get<{ Params: { name: string; revision: string; '*': string } }>(
    '/plugins/:name/:revision/*',
    { preHandler: guards.requireUser },
    async (request, reply) => {
      const { name, revision } = request.params;
      const file = request.params['*'];
      const plugin = registry.get(name);
      if (!plugin?.manifest) throw new HttpError('plugin_not_found', `No plugin named "${name}" serves files`);
      if (plugin.revision !== revision) {
        throw new HttpError(
          'not_found',
          `Revision ${revision} of plugin "${name}" is not served; the current one is ${plugin.revision}`,
        );
      }
      if (!servedFolders.some((folder) => file.startsWith(folder))) {
        throw new HttpError('not_found', `Only frontend/ and static/ files of a plugin are served, not "${file}"`);
      }
      if (file.startsWith('frontend/') && plugin.state !== 'active') {
        throw new HttpError('not_found', `Plugin "${name}" is ${plugin.state}; its frontend is not served`);
      }
      reply.header('cache-control', 'private, max-age=31536000, immutable');
      reply.header('x-content-type-options', 'nosniff');
      return reply.sendFile(file, plugin.assetsDirectory, { cacheControl: false, dotfiles: 'deny' });
    },
  );
}
