import type { FastifyInstance, FastifyReply } from 'fastify';
import { HttpError } from '../http/errors.ts';
import type { PluginRegistry, RegisteredPlugin } from './registry.ts';

/** The URL of a file inside a plugin's folder, e.g. `assetUrl(p, 'static/icon.svg')`. Only this revision is served. */
export function assetUrl(plugin: RegisteredPlugin, file: string): string {
  return `/plugins/${plugin.name}/${plugin.revision}/${file}`;
}

/** Who may fetch a plugin file: anyone (an active plugin), instance admins (a non-active plugin's static files). */
export type AssetAccess = 'public' | 'instance-admins' | { refused: string };

/**
 * Who may fetch `file` of `plugin` at `revision`. Pure. Isolated frames have an opaque origin and send no cookie, so
 * an active plugin's `frontend/` and `static/` files at its current revision are public (they are code and pictures,
 * no data). Of a plugin that is not active only `static/` is served, to instance admins, whose pages show icons and
 * screenshots; nothing of a removed plugin or an outdated revision is.
 */
export function assetAccess(plugin: RegisteredPlugin | undefined, revision: string, file: string): AssetAccess {
  if (!plugin?.manifest) return { refused: 'No plugin by this name serves files' };
  if (plugin.revision !== revision)
    return {
      refused: `Revision ${revision} of plugin "${plugin.name}" is not served; the current one is ${plugin.revision}`,
    };
  const folder = ['frontend/', 'static/'].find((f) => file.startsWith(f));
  if (!folder) return { refused: `Only frontend/ and static/ files of a plugin are served, not "${file}"` };
  // A hosted remote is loaded from its own URL, pinned at approval; a frontend/ folder beside it is covered by no
  // approval and, in a signed package, by no signature (pack leaves it out), so it is never served.
  if (folder === 'frontend/' && /^[a-z][a-z0-9+.-]*:/i.test(plugin.manifest.frontend?.remote ?? ''))
    return {
      refused: `Plugin "${plugin.name}" loads its frontend from ${plugin.manifest.frontend!.remote}, not from its folder`,
    };
  if (plugin.state === 'active') return 'public';
  if (folder === 'static/') return 'instance-admins';
  return { refused: `Plugin "${plugin.name}" is ${plugin.state}; its frontend is not served` };
}

/**
 * Headers of every plugin file. `Content-Security-Policy: sandbox` makes an HTML or SVG file opened from the app's
 * origin inert (an opaque origin, no scripts), and nosniff keeps a file what its extension says. Files of active
 * plugins are read by isolated frames, whose opaque origin makes `fetch` a CORS request and makes any other request
 * cross-origin: hence `Access-Control-Allow-Origin: *` (they carry no cookie and no data) and a cross-origin CORP.
 */
function setPluginFileHeaders(reply: FastifyReply, access: 'public' | 'instance-admins'): void {
  reply.header('content-security-policy', 'sandbox');
  reply.header('x-content-type-options', 'nosniff');
  reply.header('cache-control', 'private, max-age=31536000, immutable');
  if (access === 'public') {
    reply.header('access-control-allow-origin', '*');
    reply.header('cross-origin-resource-policy', 'cross-origin');
  }
}

/**
 * Serves `/plugins/<name>/<revision>/{frontend,static}/...` as `assetAccess` allows; everything else answers 404 as
 * if nothing were there. The revision changes with every build, so a URL always means the same bytes and can be
 * cached for good, and an outdated revision never mixes builds.
 */
export function registerPluginAssetRoutes(app: FastifyInstance, registry: PluginRegistry): void {
  app.get<{ Params: { name: string; revision: string; '*': string } }>(
    '/plugins/:name/:revision/*',
    async (request, reply) => {
      const { name, revision } = request.params;
      const file = request.params['*'];
      const plugin = registry.get(name);
      const access = assetAccess(plugin, revision, file);
      if (typeof access === 'object') throw new HttpError('not_found', access.refused);
      if (access === 'instance-admins' && !request.user?.isInstanceAdmin) {
        throw new HttpError('not_found', `Plugin "${name}" is ${plugin!.state}; its files are not served`);
      }
      setPluginFileHeaders(reply, access);
      return reply.sendFile(file, plugin!.assetsDirectory, { cacheControl: false, dotfiles: 'deny' });
    },
  );
}
