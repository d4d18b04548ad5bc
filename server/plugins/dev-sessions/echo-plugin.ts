import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { testManifest } from '../../../shared/testing/manifests.ts';

// The backend-only plugin the CLI dev tests develop: `GET /who` answers the name of the build that runs.

const manifest = testManifest('echo-api', { capabilities: ['extend-api'], backend: { entry: 'index.ts' } });
const backendSource = (build: string) =>
  `export async function activate(host) {\n  await host.routes.register('GET', '/who', () => ({ body: { build: ${JSON.stringify(build)} } }));\n}\n`;

/** Writes echo-api with the backend of `build` into `folder`: the server's plugin folder, or the team's project. */
export function writeEchoPlugin(folder: string, build: string): void {
  mkdirSync(path.join(folder, 'backend'), { recursive: true });
  writeFileSync(path.join(folder, 'manifest.json'), JSON.stringify(manifest));
  writeFileSync(path.join(folder, 'backend', 'index.ts'), backendSource(build));
}
