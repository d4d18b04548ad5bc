import type { Logger } from 'pino';
import type { PluginRecord, ApprovalLookup } from './evaluate.ts';
import { evaluatePlugins } from './evaluate.ts';
import type { HostFacts } from './compatibility.ts';
import { findPluginDirectories, readCandidate } from './discovery.ts';

export interface PluginRegistryOptions {
  pluginsDirectory: string;
  /** False in plugin-disabled mode: nothing is discovered and the registry stays empty. */
  enabled: boolean;
  host: HostFacts;
  approvedCapabilities: ApprovalLookup;
  logger: Logger;
  now?: () => Date;
}

/** A discovered plugin with the time its current state was decided. */
export interface RegisteredPlugin extends PluginRecord {
  discoveredAt: string;
}

export interface PluginRegistry {
  /** Discovers and evaluates every plugin again; returns the new list. */
  refresh(): Promise<readonly RegisteredPlugin[]>;
  list(): readonly RegisteredPlugin[];
  /** The plugin with this name; with duplicate names, the first folder in path order. */
  get(name: string): RegisteredPlugin | undefined;
  /** Active plugins only: those whose UI, routes and assets are served. */
  active(): readonly RegisteredPlugin[];
}

/** Holds the plugins of one plugins directory and logs every discovery and state decision. */
export function createPluginRegistry(options: PluginRegistryOptions): PluginRegistry {
  const { logger } = options;
  const now = options.now ?? (() => new Date());
  let plugins: readonly RegisteredPlugin[] = [];

  async function refresh(): Promise<readonly RegisteredPlugin[]> {
    if (!options.enabled) {
      logger.info('plugin system disabled (PLUGIN_SYSTEM_ENABLED=false): no plugins discovered');
      plugins = [];
      return plugins;
    }
    const started = performance.now();
    const directories = await findPluginDirectories(options.pluginsDirectory, logger);
    const candidates = await Promise.all(directories.map(readCandidate));
    const at = now().toISOString();
    const records = evaluatePlugins({
      candidates,
      host: options.host,
      approvedCapabilities: options.approvedCapabilities,
    });
    plugins = records.map((r) => ({ ...r, discoveredAt: at }));
    for (const p of plugins) {
      const facts = {
        plugin: p.name,
        version: p.manifest?.version,
        directory: p.directory,
        state: p.state,
        reason: p.reason,
      };
      if (p.state === 'active') logger.info(facts, 'plugin discovered: active');
      else logger.warn({ ...facts, problems: p.problems }, `plugin discovered: ${p.state}`);
      for (const w of p.warnings) logger.warn({ plugin: p.name, field: w.field, rule: w.rule }, w.message);
    }
    logger.info(
      {
        pluginsDirectory: options.pluginsDirectory,
        count: plugins.length,
        ms: Math.round(performance.now() - started),
      },
      'plugin discovery finished',
    );
    return plugins;
  }

  return {
    refresh,
    list: () => plugins,
    get: (name) => plugins.find((p) => p.name === name),
    active: () => plugins.filter((p) => p.state === 'active'),
  };
}
