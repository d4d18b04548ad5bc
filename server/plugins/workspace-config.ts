import { resolveConfig, type Json } from '@dbt-workbench/plugin-sdk/node/configuration';
import type { PluginManifest } from '@dbt-workbench/plugin-sdk/contracts/plugin-manifest.schema';

/**
 * A workspace's configuration of a plugin: the global one with each top-level field of the workspace's override
 * in its place (a field is overridden whole, never merged inside, so "reset to the global value" is per field).
 * Pure.
 */
export function mergeWorkspaceConfig(global: Json, override: Json | undefined): Json {
  return override ? { ...global, ...override } : global;
}

/**
 * The effective configuration of a workspace, checked against the plugin's JSON Schema. An override that no longer
 * fits (the global value or the schema changed since it was saved) gives way to the global configuration. Pure.
 */
export function effectiveWorkspaceConfig(manifest: PluginManifest, global: Json, override: Json | undefined): Json {
  if (!override || Object.keys(override).length === 0) return global;
  const resolved = resolveConfig(manifest, mergeWorkspaceConfig(global, override));
  return resolved.ok ? resolved.value : global;
}
