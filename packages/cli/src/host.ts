// The app release this kit targets. The SDK is released with the app, so its version is the app's.
import { createRequire } from 'node:module';
import {
  DEPRECATED_PLUGIN_API_VERSIONS,
  SUPPORTED_PLUGIN_API_VERSIONS,
} from '@dbt-workbench/plugin-sdk/contracts/versions';
import type { HostFacts } from '@dbt-workbench/plugin-sdk/node/compatibility';

export function targetAppVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('@dbt-workbench/plugin-sdk/package.json') as { version: string }).version;
}

/** The host a plugin is checked against by `validate`: the targeted release and its plugin API versions. */
export function hostFacts(): HostFacts {
  return {
    version: targetAppVersion(),
    pluginApiVersions: SUPPORTED_PLUGIN_API_VERSIONS,
    deprecatedPluginApiVersions: DEPRECATED_PLUGIN_API_VERSIONS,
  };
}
