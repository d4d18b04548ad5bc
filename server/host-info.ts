import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { HostInfo } from '../shared/api.schema.ts';
import { getHostInfo } from '../shared/http/host-info.ts';
import { contractRoute } from './http/contract-route.ts';
import {
  DEPRECATED_PLUGIN_API_VERSIONS,
  PLUGIN_API_VERSION,
  SUPPORTED_PLUGIN_API_VERSIONS,
} from '@dbt-workbench/plugin-sdk/contracts/versions';
import type { HostFacts } from '@dbt-workbench/plugin-sdk/node/compatibility';

/** The app's version: the one in package.json, which releases bump. */
export function appVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export function hostFacts(): HostFacts {
  return {
    version: appVersion(),
    pluginApiVersions: SUPPORTED_PLUGIN_API_VERSIONS,
    deprecatedPluginApiVersions: DEPRECATED_PLUGIN_API_VERSIONS,
  };
}

export function registerHostInfoRoute(app: FastifyInstance, info: HostInfo): void {
  contractRoute(app, getHostInfo, {}, async () => info);
}

export function hostInfo(settings: { pluginSystemEnabled: boolean; pluginLoadTimeoutMs: number }): HostInfo {
  return {
    version: appVersion(),
    pluginApi: PLUGIN_API_VERSION,
    pluginSystemEnabled: settings.pluginSystemEnabled,
    pluginLoadTimeoutMs: settings.pluginLoadTimeoutMs,
  };
}
