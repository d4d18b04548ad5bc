// `workbench-plugin pack [dir]`: the zip `POST /api/plugins/install` takes, and its sha256 checksum.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeZip, zipInputsFromDirectory } from '@dbt-workbench/plugin-sdk/node/zip-writer';
import { hostedRemoteOf, packageFiles } from '@dbt-workbench/plugin-sdk/node/digest';
import { parse } from '../args.ts';
import { CliError, type Command } from '../errors.ts';
import { pluginDirectory, readValidManifest } from '../plugin-dir.ts';
import { validatePlugin } from './validate.ts';

/**
 * Packs a plugin folder; returns the zip's path, its checksum file's path and the sha256, and the URL of a remote
 * hosted elsewhere when `frontend/` was left out for it.
 */
export async function packPlugin(
  dir: string,
  outDir: string,
): Promise<{ zip: string; checksumFile: string; sha256: string; hostedRemote?: string }> {
  const manifest = readValidManifest(dir);
  const report = await validatePlugin(dir);
  if (report.problems.length > 0) {
    throw new CliError(
      `not packing: ${report.problems[0]!.message} (run "workbench-plugin validate" for every problem)`,
    );
  }
  // Exactly the files a signature covers (signing/digest.ts), and the folders that hold them.
  const files = new Set(await packageFiles(dir));
  const folders = new Set(
    [...files].flatMap((f) =>
      f
        .split('/')
        .slice(0, -1)
        .map((_, i, all) => `${all.slice(0, i + 1).join('/')}/`),
    ),
  );
  const bytes = writeZip(await zipInputsFromDirectory(dir, (relative) => files.has(relative) || folders.has(relative)));
  mkdirSync(outDir, { recursive: true });
  const zip = path.join(outDir, `${manifest.name}-${manifest.version}.zip`);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  writeFileSync(zip, bytes);
  const checksumFile = `${zip}.sha256`;
  // The format `sha256sum -c` reads.
  writeFileSync(checksumFile, `${sha256}  ${path.basename(zip)}\n`);
  const hostedRemote = hostedRemoteOf(manifest);
  return { zip, checksumFile, sha256, ...(hostedRemote ? { hostedRemote } : {}) };
}

export const packCommand: Command = {
  name: 'pack',
  summary: 'make the zip the install API takes, with a .sha256 checksum',
  usage: `Usage: workbench-plugin pack [dir] [--out <folder>]

Validates the plugin in [dir] (default: the current folder), then writes <name>-<version>.zip with
manifest.json, frontend/, backend/ and static/ (not src/ or tests), and <zip>.sha256 beside it. When
frontend.remote is an absolute URL, frontend/ is left out: upload it to that host yourself.
--out: where to write them (default: <dir>/dist). Install it with:
  curl -X POST -H 'content-type: application/zip' --data-binary @<zip> <app>/api/plugins/install`,
  async run(args) {
    const { positionals, values } = parse('pack', args, { out: { type: 'string' } });
    const dir = pluginDirectory(positionals[0]);
    const packed = await packPlugin(dir, path.resolve(values.out ?? path.join(dir, 'dist')));
    console.log(`packed ${packed.zip}\nsha256 ${packed.sha256} (${packed.checksumFile})`);
    if (packed.hostedRemote) {
      console.log(`frontend/ left out: the remote is hosted at ${packed.hostedRemote}; upload frontend/ there`);
    }
  },
};
