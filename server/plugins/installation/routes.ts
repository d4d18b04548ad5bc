import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { InstallRequest } from '../../../shared/installation.schema.ts';
import * as api from '../../../shared/http/plugin-installation.ts';
import { currentUser, type Guards } from '../../auth/guards.ts';
import type { Database } from '../../db/database.ts';
import { contractRoute } from '../../http/contract-route.ts';
import { HttpError } from '../../http/errors.ts';
import { hostFacts } from '../../host-info.ts';
import type { Settings } from '../../settings.ts';
import type { EnablementStore } from '../enablement.ts';
import type { PluginRegistry } from '../registry.ts';
import { requirePlugin, toDetail } from '../routes.ts';
import { findPackage, packageBytes, readCatalog } from './catalog.ts';
import { crashPoint } from './crash.ts';
import { createInstaller, type Installer } from './installer.ts';
import { registerMarketplaceRoutes } from './marketplace-routes.ts';
import { answering } from './answering.ts';
import { compatibilityProblems } from './compatibility-facts.ts';
import type { PackageSource } from './sources.ts';
import { requireDependantsConfirmed } from './dependants.ts';
import { registerRollbackRoutes } from './rollback-routes.ts';

export interface InstallationRouteDeps {
  registry: PluginRegistry;
  guards: Guards;
  db: Database;
  settings: Settings;
  logger: Logger;
  enablement: EnablementStore;
}

const ZIP_TYPES = ['application/zip', 'application/x-zip-compressed', 'application/octet-stream'];

const isDryRun = (query: { dryRun?: string | undefined }) => ['true', '1', 'yes'].includes(query.dryRun ?? '');

/**
 * Install, update and remove plugins, the marketplace and the audit log (instance admins only).
 * - `POST /api/plugins/install[?dryRun=true]`: a zip as the raw body (`content-type: application/zip`, at most
 *   PLUGIN_MAX_PACKAGE_MB) or JSON `{path}`, `{git, ref?}` or `{marketplace, version?}`; 201. With `dryRun`, 200 and
 *   what the version would ask for and why it would be refused, writing nothing.
 * - `POST /api/plugins/:name/update[?dryRun=true]`: the same sources; the diff, then activation or a pending update.
 * - `POST /api/plugins/:name/update/approve` `{version}`: approve a pending update and swap it in.
 * - `DELETE /api/plugins/:name/update`: drop a pending update. `DELETE /api/plugins/:name[?confirm=true]`: remove
 *   (409 in flight; 409 listing its dependants unless `confirm=true`, after which they go inactive until it returns).
 * - Rollback, pin, unpin, versions and dependants: see rollback-routes.ts.
 * - `GET /api/marketplace/installations`: how each plugin was installed, with pending updates.
 */
export function registerInstallationRoutes(app: FastifyInstance, deps: InstallationRouteDeps): Installer {
  const { registry, guards, settings } = deps;
  const packages = settings.pluginPackages;
  const installer = createInstaller({
    db: deps.db,
    registry,
    pluginsDirectory: settings.pluginsDirectory,
    dataDirectory: settings.dataDirectory,
    pluginSystemEnabled: settings.pluginSystemEnabled,
    host: hostFacts(),
    policy: settings.capabilityPolicy,
    limits: { maxBytes: packages.maxBytes, maxFiles: packages.maxFiles, maxManifestBytes: packages.maxManifestBytes },
    gitTimeoutMs: packages.gitTimeoutMs,
    keepVersions: packages.keepVersions,
    crash: crashPoint(settings.testCrashAt),
    logger: deps.logger.child({ component: 'plugin-installer' }),
  });
  const admin = { guards: [guards.requireUser, guards.requireInstanceAdmin] };

  /** The package a request names: its raw zip body, or the JSON source the contract validated. */
  async function sourceOf(body: InstallRequest | Buffer): Promise<PackageSource> {
    if (Buffer.isBuffer(body)) return { kind: 'zip', bytes: body, label: 'upload' };
    const request = body;
    if (request.path !== undefined) return { kind: 'path', path: request.path };
    if (request.git !== undefined)
      return { kind: 'git', url: request.git, ...(request.ref ? { ref: request.ref } : {}) };
    const name = request.marketplace!;
    const catalog = await readCatalog(packages.catalog);
    const pkg = findPackage(
      catalog,
      name,
      request.version,
      (p) => compatibilityProblems(p.manifest, hostFacts(), settings.capabilityPolicy).length === 0,
    );
    if (!pkg) {
      throw new HttpError(
        'not_found',
        `The marketplace has no package "${name}"${request.version ? ` at version ${request.version}` : ''}`,
      );
    }
    const { version } = pkg.manifest;
    return {
      kind: 'zip',
      bytes: await packageBytes(pkg, packages.maxBytes),
      label: `marketplace:${name}@${version}`,
      expect: { name, version },
    };
  }

  async function installationOf(name: string) {
    const found = (await installer.installations()).find((i) => i.name === name);
    if (!found) throw new HttpError('plugin_not_found', `No plugin named "${name}" is installed`);
    return found;
  }

  async function detailOf(name: string) {
    return toDetail(requirePlugin(registry, name), (await deps.enablement.load()).get(name), registry);
  }

  app.register(async (scope) => {
    scope.addContentTypeParser(
      ZIP_TYPES,
      async (request: { headers: Record<string, unknown> }, payload: AsyncIterable<Buffer>) => {
        const tooLarge = () =>
          new HttpError(
            'package_invalid',
            `The archive is larger than ${packages.maxBytes} bytes, the most PLUGIN_MAX_PACKAGE_MB allows`,
          );
        if (Number(request.headers['content-length'] ?? 0) > packages.maxBytes) throw tooLarge();
        const chunks: Buffer[] = [];
        let total = 0;
        for await (const chunk of payload) {
          total += chunk.length;
          if (total > packages.maxBytes) throw tooLarge();
          chunks.push(chunk);
        }
        return Buffer.concat(chunks);
      },
    );

    contractRoute(scope, api.installPlugin, admin, async (request, reply) => {
      const user = currentUser(request);
      if (isDryRun(request.query)) return answering(async () => installer.preview(await sourceOf(request.body)));
      const { name, warnings } = await answering(async () => installer.install(await sourceOf(request.body), user));
      reply.status(201);
      return { plugin: await detailOf(name), installation: await installationOf(name), warnings };
    });

    contractRoute(scope, api.updatePlugin, admin, async (request) => {
      const user = currentUser(request);
      const { name } = request.params;
      const result = await answering(async () =>
        installer.update(name, await sourceOf(request.body), user, isDryRun(request.query)),
      );
      if (result.status === 'preview') return result;
      return { ...result, plugin: await detailOf(name), installation: await installationOf(name) };
    });
  });

  contractRoute(app, api.approveUpdate, admin, async (request) => {
    const { version } = request.body;
    const { name } = request.params;
    const diff = await answering(() => installer.approvePending(name, version, currentUser(request)));
    return {
      status: 'activated' as const,
      diff,
      plugin: await detailOf(name),
      installation: await installationOf(name),
    };
  });

  contractRoute(app, api.discardUpdate, admin, async (request) => {
    await installer.discardPending(request.params.name, currentUser(request));
    return installationOf(request.params.name);
  });

  contractRoute(app, api.removePlugin, admin, async (request) => {
    requireDependantsConfirmed(registry.list(), request.params.name, 'remove', request.query);
    const { version } = await installer.remove(request.params.name, currentUser(request));
    return { removed: request.params.name, version };
  });

  contractRoute(app, api.listInstallations, admin, async () => ({
    installations: await installer.installations(),
  }));

  registerMarketplaceRoutes(app, { registry, guards, settings, installer });
  registerRollbackRoutes(app, { registry, guards, db: deps.db, installer, detailOf });
  return installer;
}
