import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { createAuditLog } from './audit/audit-log.ts';
import { registerAuditRoutes } from './audit/routes.ts';
import { ensureFirstAdmin } from './auth/bootstrap.ts';
import { createGuards, registerSessionResolution } from './auth/guards.ts';
import { registerAuthRoutes } from './auth/routes.ts';
import { createSessionStore, SESSION_COOKIE } from './auth/sessions.ts';
import { createSignInThrottle } from './auth/sign-in-throttle.ts';
import { createUsersRepository } from './auth/users-repository.ts';
import type { AppContext, Feature, FeatureHandle } from './context.ts';
import { openDatabase } from './db/open.ts';
import { createFeatures, createHostServices, type HostServices } from './features.ts';
import { hostFacts, hostInfo, registerHostInfoRoute } from './host-info.ts';
import { registerEventStream } from './events/event-stream.ts';
import { shareChangesAcrossReplicas } from './events/replicas.ts';
import { frameworkOptions, registerErrorHandling } from './http/errors.ts';
import { registerSameOriginCheck } from './http/same-origin.ts';
import { registerSecurityHeaders } from './http/security-headers.ts';
import { createApprovalStore, createRejectionStore } from './plugins/approvals.ts';
import { registerPluginAssetRoutes } from './plugins/assets.ts';
import { registerPluginFrameRoutes } from './plugins/frames/routes.ts';
import { registerConfigRoutes } from './plugins/config-routes.ts';
import { registerWorkspaceConfigRoutes } from './plugins/workspace-config-routes.ts';
import { createWorkspaceConfigStore } from './plugins/workspace-config-store.ts';
import { createConfigStore } from './plugins/config-store.ts';
import { createEnablementStore } from './plugins/enablement.ts';
import { createSnapshots } from './plugins/snapshots.ts';
import { startRemoteChecks } from './plugins/remote-pins/pinning.ts';
import { createRemotePinStore } from './plugins/remote-pins/store.ts';
import { createUiTrustStore } from './plugins/ui-trust/store.ts';
import { registerUiTrustRoutes } from './plugins/ui-trust/routes.ts';
import { trustedKeysOf } from './plugins/signing/key-store.ts';
import { registerSigningKeyRoutes } from './plugins/signing/routes.ts';
import { registerTokenAuthentication } from './tokens/authentication.ts';
import { registerTokenRoutes } from './tokens/routes.ts';
import { createTokenStore } from './tokens/token-store.ts';
import { registerHostDataRoutes } from './plugins/host-data-routes.ts';
import { registerPluginTokenRoutes } from './plugins/plugin-tokens/routes.ts';
import { serverSecret } from './plugins/plugin-tokens/secret.ts';
import { createPluginTokens } from './plugins/plugin-tokens/service.ts';
import { createFrontendTelemetry, registerTelemetryRoutes } from './plugins/frontend-telemetry.ts';
import { registerLifecycleRoutes } from './plugins/lifecycle-routes.ts';
import { recoverPluginOperations } from './plugins/installation/recover.ts';
import { keepSyncing, startPackageSync, syncingRegistry } from './plugins/package-store/sync.ts';
import { registerInstallationRoutes } from './plugins/installation/routes.ts';
import { installTimes } from './plugins/installation/installations.ts';
import { createPluginRegistry, type PluginRegistry } from './plugins/registry.ts';
import { protectedPathsOf } from './sandbox/grant-rules.ts';
import { logRegistryDecisions } from './plugins/logs/lifecycle.ts';
import { registerPluginLogRoutes } from './plugins/logs/routes.ts';
import { openPluginLogs } from './plugins/logs/store.ts';
import { registerPluginRoutes } from './plugins/routes.ts';
import { watchPluginsDirectory } from './plugins/watcher.ts';
import type { Settings } from './settings.ts';
import { registerShell } from './shell/static.ts';
import { registerUserRoutes } from './users/routes.ts';
import { registerWorkspaceAdminRoutes } from './workspaces/admin-routes.ts';
import { openWorkspaceDirectory } from './workspaces/directory.ts';
import { registerWorkspaceRoutes } from './workspaces/routes.ts';
import { createDevBackends } from './plugins/dev-sessions/dev-backends.ts';
import { packageLayout } from './plugins/installation/layout.ts';
import { replicaIdOf } from './plugins/package-store/revisions.ts';
import { createDevSessions } from './plugins/dev-sessions/dev-sessions.ts';
import { registerDevSessionRoutes } from './plugins/dev-sessions/routes.ts';

export interface App {
  server: FastifyInstance;
  plugins: PluginRegistry;
  context: AppContext;
  services: HostServices;
}

export interface BuildOptions {
  /** The features to start; all of them by default. */
  features?: readonly Feature[];
  /** Where a generated first-admin password is shown; the terminal by default. */
  print?: (text: string) => void;
}

/** Builds the whole service from its settings; nothing listens until the caller says so. */
/** How often a server on PostgreSQL checks its plugin folders against the package store between notifications. */
const PACKAGE_RESYNC_MS = 5_000;

export async function buildApp(settings: Settings, logger: Logger, options: BuildOptions = {}): Promise<App> {
  const db = await openDatabase(settings);
  const workspaceDirectory = await openWorkspaceDirectory({
    file: settings.workspacesFile,
    db,
    reserved: [
      { path: settings.dataDirectory, why: "the app's data folder (WORKBENCH_DATA_DIR)" },
      { path: settings.pluginsDirectory, why: 'the plugins folder (PLUGINS_DIRECTORY)' },
    ],
    logger: logger.child({ component: 'workspaces' }),
  });
  const workspaces = workspaceDirectory.all;
  const { logMaxBytes: maxBytes, logMaxAgeMs: maxAgeMs, logLinesPerSecond: linesPerSecond } = settings.pluginOperations;
  const pluginLogs = await openPluginLogs({
    db,
    retention: { maxBytes, maxAgeMs, linesPerSecond },
    now: () => new Date(),
    logger: logger.child({ component: 'plugin-logs' }),
  });
  const users = createUsersRepository(db);
  const sessions = createSessionStore(db, settings.sessionTtlMs);
  const guards = createGuards(users, workspaces);
  const audit = createAuditLog(db);
  await ensureFirstAdmin(
    users,
    workspaces,
    { ...settings.firstAdmin, print: options.print ?? ((t) => process.stdout.write(`${t}\n`)) },
    logger,
  );

  const server: FastifyInstance = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    trustProxy: settings.trustProxy,
    ...frameworkOptions,
  });
  const securityHeaders = await registerSecurityHeaders(server, { https: settings.secureCookies });
  registerErrorHandling(server);
  await server.register(fastifyCookie);
  registerSameOriginCheck(
    server,
    (request) => request.cookies[SESSION_COOKIE] !== undefined || request.routeOptions.url === '/api/auth/login',
  );
  registerSessionResolution(server, sessions);
  registerTokenAuthentication(server, { tokens: createTokenStore(db), users });

  const approvals = createApprovalStore(db);
  const enablement = createEnablementStore(db);
  const configs = createConfigStore(db);
  const remotePins = createRemotePinStore(db);
  const uiTrust = createUiTrustStore(db);
  const pluginTokens = createPluginTokens({ secret: await serverSecret(db, 'plugin-tokens') });
  const trustedKeys = trustedKeysOf(db, settings.capabilityPolicy.signatures.trustedKeys);
  await trustedKeys.reload();
  // Judged again when workspaces change: their artifact folders are protected too.
  const protectedPathsOfServer = () =>
    protectedPathsOf({
      dataDirectory: settings.dataDirectory,
      pluginsDirectory: settings.pluginsDirectory,
      workspaces,
    });
  const protectedPaths = protectedPathsOfServer();
  const plugins = createPluginRegistry({
    pluginsDirectory: settings.pluginsDirectory,
    enabled: settings.pluginSystemEnabled,
    host: hostFacts(),
    loadRules: async () => ({
      approvedCapabilities: await approvals.load(),
      enablement: await enablement.load(),
      configs: await configs.load(),
      remotePins: await remotePins.load(),
      installedAt: await installTimes(db),
      uiTrust: await uiTrust.load(),
      rejections: await createRejectionStore(db).load(),
    }),
    policy: settings.capabilityPolicy,
    // Read at each refresh, so a workspace added in the app gets its plugins.
    get workspaces() {
      return workspaces.map((w) => w.name);
    },
    defaultEnabled: settings.pluginsEnabledByDefault,
    protectedPaths,
    snapshots: createSnapshots(path.join(settings.dataDirectory, 'plugin-snapshots')),
    limits: settings.pluginPackages,
    logger: logger.child({ component: 'plugins' }),
  });
  workspaceDirectory.onChange(async () => {
    Object.assign(protectedPaths, protectedPathsOfServer());
    await plugins.refresh();
  });
  const stopLoggingDecisions = logRegistryDecisions(plugins, pluginLogs.write);
  const recovered = await recoverPluginOperations(settings, db, logger);
  const packageSync = await startPackageSync(settings, db, logger);
  await plugins.refresh();
  // Only PostgreSQL has other servers on the database (a SQLite folder admits one process).
  const stopResync = settings.databaseUrl
    ? keepSyncing(packageSync, () => plugins.refresh(), logger, PACKAGE_RESYNC_MS)
    : () => {};
  const services = createHostServices();
  const events = registerEventStream(server, guards);
  const devSessions = createDevSessions({
    db,
    events,
    audit,
    ttlMs: settings.devSessionTtlMs,
    logger: logger.child({ component: 'dev-sessions' }),
  });
  await devSessions.load();
  const devBackends = createDevBackends({
    dataDirectory: settings.dataDirectory,
    sessions: devSessions,
    serverId: await replicaIdOf(packageLayout(settings.dataDirectory, settings.pluginsDirectory)),
    port: settings.port,
  });
  const context: AppContext = {
    settings,
    logger,
    db,
    workspaces,
    workspaceDirectory,
    guards,
    users,
    audit,
    plugins,
    pluginLogs,
    services,
    events,
    pluginTokens,
    devBackends,
  };
  plugins.subscribe((change) =>
    events.publish({ type: 'plugins-changed', plugins: change.plugins, at: new Date().toISOString() }),
  );
  const stopSharingChanges = await shareChangesAcrossReplicas({
    db,
    events,
    // Another replica's change may name packages this one lacks: they are fetched before the registry refreshes.
    registry: syncingRegistry(plugins, packageSync),
    logger: logger.child({ component: 'replicas' }),
  });
  // An operation this server finished or undid at start changed what the other replicas must serve.
  if (recovered.length > 0) {
    const names = [...new Set(recovered.map((r) => r.plugin))];
    events.publish({ type: 'plugins-changed', plugins: names, at: new Date().toISOString() });
  }
  const stopWatching =
    settings.pluginSystemEnabled && settings.watchPlugins
      ? watchPluginsDirectory(settings.pluginsDirectory, plugins, logger.child({ component: 'plugins' }))
      : () => {};

  registerHostInfoRoute(server, hostInfo(settings));
  securityHeaders.allowRemotesOf(plugins);
  await registerAuthRoutes(server, {
    users,
    sessions,
    guards,
    workspaces,
    secureCookies: settings.secureCookies,
    throttle: createSignInThrottle({ ...settings.signIn, firstDelayMs: 1000 }),
    attemptsPerMinute: settings.signIn.attemptsPerMinute,
  });
  registerUserRoutes(server, { users, guards, audit, workspaces });
  registerWorkspaceAdminRoutes(server, { directory: workspaceDirectory, guards, audit });
  registerAuditRoutes(server, { db, guards });
  registerPluginRoutes(server, plugins, guards, () => enablement.load());
  if (settings.pluginSystemEnabled) {
    registerHostDataRoutes(server, plugins, guards, pluginTokens);
    registerPluginTokenRoutes(server, { registry: plugins, guards, tokens: pluginTokens });
  }
  registerTelemetryRoutes(server, plugins, guards, users, createFrontendTelemetry());
  registerConfigRoutes(server, { registry: plugins, guards, configs, db });
  registerWorkspaceConfigRoutes(server, { registry: plugins, guards, db, announce: (event) => events.publish(event) });
  workspaceDirectory.onChange(async (change) => {
    if (change.kind === 'removed') await createWorkspaceConfigStore(db).forgetWorkspace(change.workspace.name);
  });
  registerLifecycleRoutes(server, { registry: plugins, guards, db, workspaces });
  registerUiTrustRoutes(server, { registry: plugins, guards, db });
  registerSigningKeyRoutes(server, { registry: plugins, guards, db, trustedKeys });
  registerTokenRoutes(server, { guards, db });
  const stopRemoteChecks = settings.pluginSystemEnabled
    ? startRemoteChecks({ db, registry: plugins, logger, intervalMs: settings.remoteCheckIntervalMs })
    : () => {};
  registerPluginLogRoutes(server, { registry: plugins, guards, logs: pluginLogs });
  registerInstallationRoutes(server, { registry: plugins, guards, db, settings, logger, enablement });
  securityHeaders.allowDevOriginsOf((userId) => devSessions.originsOf(userId));
  registerDevSessionRoutes(server, {
    registry: plugins,
    guards,
    sessions: devSessions,
    backends: devBackends,
    audit,
  });
  registerWorkspaceRoutes(server, plugins, guards, db, devSessions);
  if (settings.pluginSystemEnabled) registerPluginAssetRoutes(server, plugins);
  if (settings.pluginSystemEnabled)
    registerPluginFrameRoutes(server, {
      registry: plugins,
      isolationDirectory: settings.isolationDistDirectory,
      devSessions,
    });

  const handles: FeatureHandle[] = [];
  for (const feature of options.features ?? createFeatures(services)) {
    const handle = await feature.start(server, context);
    if (handle) handles.push(handle);
    logger.debug({ feature: feature.name }, 'feature started');
  }
  server.addHook('onClose', async () => {
    stopResync();
    stopWatching();
    stopRemoteChecks();
    await stopSharingChanges();
    events.close();
    await devBackends.close();
    devSessions.close();
    for (const handle of handles.reverse()) await handle.close();
    stopLoggingDecisions();
    await pluginLogs.close();
    await db.close();
  });

  await registerShell(server, settings.shellDistDirectory, logger);
  return { server, plugins, context, services };
}
