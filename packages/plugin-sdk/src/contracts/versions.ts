/** The plugin API major versions this build of the host can run. Bump on a breaking slot or SDK change. */
export const PLUGIN_API_VERSION = 1;
export const SUPPORTED_PLUGIN_API_VERSIONS: readonly number[] = [PLUGIN_API_VERSION];
/**
 * Supported plugin API majors that the next major release of the app will no longer run: a plugin targeting one
 * still works, and `workbench-plugin validate` and `build` warn its authors to move on. Empty while there is one.
 */
export const DEPRECATED_PLUGIN_API_VERSIONS: readonly number[] = [];

/** Module Federation remotes must be JS identifiers: `data-quality` becomes `data_quality`. */
export function remoteNameFor(pluginName: string): string {
  return `wb_${pluginName.replaceAll('-', '_')}`;
}

/** Each remote gets its own chunk global so a reload can drop the old chunks (notes/module-federation.md). */
export function chunkGlobalFor(pluginName: string): string {
  return `wbChunks_${pluginName.replaceAll('-', '_')}`;
}
