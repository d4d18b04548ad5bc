// Builds the example plugins in this folder and packs them into ../marketplace: the demo's marketplace catalog
// (PLUGIN_CATALOG defaults to ./marketplace). Each folder is a plugin in the standard layout with its sources;
// it is copied to dist/marketplace-build/, built there (so no build output lands here), and zipped without src/.
//   node marketplace-src/pack.ts
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import * as prettier from 'prettier';
import { packCatalog } from '../server/plugins/installation/catalog-pack.ts';

const root = path.resolve(import.meta.dirname, '..');
const buildRoot = path.join(root, 'dist', 'marketplace-build');
rmSync(buildRoot, { recursive: true, force: true });

const built = readdirSync(import.meta.dirname, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort()
  .map((name) => {
    const dir = path.join(buildRoot, name);
    cpSync(path.join(import.meta.dirname, name), dir, { recursive: true });
    const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.ts'), '--plugin', dir], {
      cwd: root,
      stdio: 'inherit',
    });
    if (result.status !== 0) throw new Error(`building ${name} failed`);
    return dir;
  });

const index = await packCatalog(built, path.join(root, 'marketplace'), prettierJson);
console.log(`packed ${index.packages.map((p) => p.file).join(', ')} into marketplace/`);

/** The index as the repo's prettier writes it, so `npm run format:check` stays clean. */
async function prettierJson(json: string, file: string): Promise<string> {
  return prettier.format(json, { ...(await prettier.resolveConfig(file)), parser: 'json' });
}
