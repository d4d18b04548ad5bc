import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { listMarketplace } from '../../../shared/http/plugin-installation.ts';
import type { Guards } from '../../auth/guards.ts';
import { hostFacts } from '../../host-info.ts';
import { contractRoute } from '../../http/contract-route.ts';
import { HttpError } from '../../http/errors.ts';
import type { Settings } from '../../settings.ts';
import type { PluginRegistry } from '../registry.ts';
import { createPackageCache, findPackage, readCatalog } from './catalog.ts';
import type { Installer } from './installer.ts';
import { marketplaceEntries } from './marketplace-entries.ts';
import { entryPathProblem } from './package-files.ts';
import { answering } from './answering.ts';
import { readZipEntries, readZipEntry } from '@dbt-workbench/plugin-sdk/node/zip-reader';

const contentTypes: Record<string, string> = {
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
};

export interface MarketplaceRouteDeps {
  registry: PluginRegistry;
  guards: Guards;
  settings: Settings;
  installer: Installer;
}

/**
 * `GET /api/marketplace`: the catalog (PLUGIN_CATALOG) with compatibility and what is installed here; 502
 * `catalog_unavailable` naming the reason when it cannot be read. Icons and screenshots are served from inside the
 * packages at `/api/marketplace/packages/<name>/<version>/static/<file>`.
 */
export function registerMarketplaceRoutes(app: FastifyInstance, deps: MarketplaceRouteDeps): void {
  const { registry, guards, settings, installer } = deps;
  const admin = { preHandler: [guards.requireUser, guards.requireInstanceAdmin] };
  const packageCache = createPackageCache();

  contractRoute(app, listMarketplace, { guards: admin.preHandler }, async () => {
    const catalog = await answering(() => readCatalog(settings.pluginPackages.catalog));
    const pending = new Map(
      (await installer.installations()).flatMap((i) => (i.pending ? [[i.name, i.pending.version] as const] : [])),
    );
    return {
      catalog: /^https?:\/\//.test(catalog.source)
        ? { kind: 'url' as const, url: catalog.source }
        : { kind: 'folder' as const },
      entries: marketplaceEntries(catalog.packages, {
        host: hostFacts(),
        policy: settings.capabilityPolicy,
        installed: registry.list(),
        pending,
      }),
      problems: catalog.problems,
    };
  });

  app.get<{ Params: { name: string; version: string; '*': string } }>(
    '/api/marketplace/packages/:name/:version/static/*',
    admin,
    async (request, reply) => {
      const { name, version } = request.params;
      const file = request.params['*'];
      const problem = entryPathProblem(file);
      if (problem) throw new HttpError('bad_request', `Not a file of the package: ${problem}`);
      const bytes = await answering(async () => {
        const pkg = findPackage(await readCatalog(settings.pluginPackages.catalog), name, version);
        if (!pkg) throw new HttpError('not_found', `The marketplace has no package ${name}@${version}`);
        return packageCache(pkg, settings.pluginPackages.maxBytes);
      });
      const entries = readZipEntries(bytes, {
        maxEntries: settings.pluginPackages.maxFiles,
        maxTotalBytes: settings.pluginPackages.maxBytes,
      });
      const manifest = entries
        .filter((e) => e.name === 'manifest.json' || e.name.endsWith('/manifest.json'))
        .sort((a, b) => a.name.length - b.name.length)[0];
      const prefix = manifest ? manifest.name.slice(0, -'manifest.json'.length) : '';
      const entry = entries.find((e) => e.kind === 'file' && e.name === `${prefix}static/${file}`);
      if (!entry) throw new HttpError('not_found', `${name}@${version} has no static/${file}`);
      reply.header('content-type', contentTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream');
      reply.header('cache-control', 'private, max-age=3600');
      reply.header('x-content-type-options', 'nosniff');
      reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
      return reply.send(readZipEntry(bytes, entry));
    },
  );
}
