import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { testManifest, type ManifestDoc } from '../../shared/testing/manifests.ts';

/**
 * Writes a plugin with a built remote exposing `./Widget` (a dashboard widget) into `<dir>/plugins/<name>`, plus
 * `static/` files: what the frame, asset and token tests serve and call.
 */
export function writeWidgetPlugin(
  dir: string,
  name: string,
  options: { manifest?: ManifestDoc; static?: Record<string, string> } = {},
): string {
  const pluginDir = path.join(dir, 'plugins', name);
  mkdirSync(path.join(pluginDir, 'frontend'), { recursive: true });
  mkdirSync(path.join(pluginDir, 'static'), { recursive: true });
  const manifest = testManifest(name, {
    frontend: {
      remote: 'mf-manifest.json',
      contributions: [{ slot: 'dashboard.widget', id: 'w', module: './Widget' }],
    },
    ...options.manifest,
  });
  writeFileSync(path.join(pluginDir, 'manifest.json'), JSON.stringify(manifest));
  const remoteName = `wb_${name.replaceAll('-', '_')}`;
  writeFileSync(
    path.join(pluginDir, 'frontend', 'mf-manifest.json'),
    JSON.stringify({ name: remoteName, exposes: [{ path: './Widget' }] }),
  );
  writeFileSync(path.join(pluginDir, 'frontend', 'remoteEntry.js'), `var ${remoteName} = {};`);
  const statics = options.static ?? { 'icon.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>' };
  for (const [file, text] of Object.entries(statics)) writeFileSync(path.join(pluginDir, 'static', file), text);
  return pluginDir;
}
