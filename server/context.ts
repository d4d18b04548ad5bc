import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { AuditLog } from './audit/audit-log.ts';
import type { Guards } from './auth/guards.ts';
import type { UsersRepository } from './auth/users-repository.ts';
import type { Database } from './db/database.ts';
import type { HostServices } from './features.ts';
import type { PluginLogs } from './plugins/logs/store.ts';
import type { PluginRegistry } from './plugins/registry.ts';
import type { Settings } from './settings.ts';
import type { Workspace } from './workspaces/config.ts';
import type { WorkspaceDirectory } from './workspaces/directory.ts';
import type { EventStream } from './events/event-stream.ts';
import type { PluginTokens } from './plugins/plugin-tokens/service.ts';
import type { DevBackends } from './plugins/dev-sessions/dev-backends.ts';

/** The core services every feature is given. Passed in, never imported as singletons. */
export interface AppContext {
  settings: Settings;
  logger: Logger;
  db: Database;
  /** Every workspace, kept current in place as admins add, change and remove them (`workspaceDirectory.all`). */
  workspaces: readonly Workspace[];
  /** Where workspaces change; a feature keeping something per workspace follows it with `onChange`. */
  workspaceDirectory: WorkspaceDirectory;
  guards: Guards;
  users: UsersRepository;
  audit: AuditLog;
  /** Discovered plugins with their states, approved capabilities and the workspaces they are enabled in. */
  plugins: PluginRegistry;
  /** Every plugin's log: what its backend writes and what the server decides about it (`pluginLogs.write`). */
  pluginLogs: PluginLogs;
  /** The core services and their seams, for features that extend others (plugin backends). */
  services: HostServices;
  /** Pushes events to open shells (`GET /api/events`). */
  events: EventStream;
  /** Plugin tokens: which plugin a frontend's call is for, as the host end of its bridge vouches. */
  pluginTokens: PluginTokens;
  /** Developers' backend dev slots (`workbench-plugin dev --server`): the plugin backends feature runs them. */
  devBackends?: DevBackends;
}

/** What a started feature hands back so the app can stop it (watchers, timers, child processes). */
export interface FeatureHandle {
  close(): Promise<void>;
}

/** A feature of the host (catalog, SQL, runs, ...): registers its routes and starts its background work. */
export interface Feature {
  name: string;
  start(app: FastifyInstance, context: AppContext): Promise<FeatureHandle | void>;
}
