import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { realPathOf } from '../sandbox/grant-rules.ts';

/** A folder a workspace may not point at or into, with what it holds. */
export interface ReservedFolder {
  path: string;
  why: string;
}

/** Whether `a` is `b`, inside it, or holds it. */
function overlaps(a: string, b: string): boolean {
  const inside = (parent: string, child: string) => {
    const relative = path.relative(parent, child);
    return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
  };
  return inside(a, b) || inside(b, a);
}

/**
 * Why `folder` cannot be a workspace's dbt project folder, or undefined when it can: it must be an absolute path
 * to a folder the server reads, holding `dbt_project.yml` or `target/manifest.json`, away from `reserved` folders.
 */
export async function projectFolderProblem(
  folder: string,
  reserved: readonly ReservedFolder[],
): Promise<string | undefined> {
  if (!path.isAbsolute(folder))
    return `The project folder must be an absolute path on the server, like /srv/dbt/jaffle-shop; got "${folder}"`;
  const info = await stat(folder).catch((error: NodeJS.ErrnoException) => error);
  if (info instanceof Error) {
    return info.code === 'ENOENT'
      ? `There is no folder ${folder} on the server`
      : `The server cannot read ${folder} (${info.code ?? info.message})`;
  }
  if (!info.isDirectory()) return `${folder} is a file, not a folder`;
  const real = realPathOf(folder);
  const clash = reserved.find((r) => overlaps(real, realPathOf(r.path)));
  if (clash) return `${folder} overlaps ${clash.why}; a workspace's folder cannot`;
  if (!existsSync(path.join(folder, 'dbt_project.yml')) && !existsSync(path.join(folder, 'target', 'manifest.json')))
    return `${folder} is not a dbt project: it holds neither dbt_project.yml nor target/manifest.json`;
  return undefined;
}
