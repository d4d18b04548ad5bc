import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { testManifest, type ManifestDoc } from '../../../shared/testing/manifests.ts';
import type { TestApp } from '../../testing/test-app.ts';
import { packageLayout } from './layout.ts';
import { writeZip, type ZipInput } from '@dbt-workbench/plugin-sdk/node/zip-writer';

const ICON = '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"><rect width="16" height="16"/></svg>';

/** The files of a small valid plugin (manifest and icon), as zip inputs. */
export function pluginFiles(name: string, extra: ManifestDoc = {}): ZipInput[] {
  return [
    { name: 'manifest.json', data: JSON.stringify(testManifest(name, { icon: 'icon.svg', ...extra }), null, 2) },
    { name: 'static/' },
    { name: 'static/icon.svg', data: ICON },
  ];
}

/** A zip of a small valid plugin, with `more` entries appended. */
export function pluginZip(name: string, extra: ManifestDoc = {}, more: ZipInput[] = []): Buffer {
  return writeZip([...pluginFiles(name, extra), ...more]);
}

/** Writes a small valid plugin into `dir` (a package folder, not necessarily under the plugins directory). */
export function writePluginFolder(dir: string, name: string, extra: ManifestDoc = {}): string {
  for (const file of pluginFiles(name, extra)) {
    const target = path.join(dir, file.name);
    if (file.name.endsWith('/')) mkdirSync(target, { recursive: true });
    else {
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, file.data ?? '');
    }
  }
  return dir;
}

/** A git repository in `dir` with one commit per version, each tagged `v<version>`. Returns the commits. */
export function gitRepository(dir: string, name: string, versions: { version: string; extra?: ManifestDoc }[]) {
  mkdirSync(dir, { recursive: true });
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir })
      .toString()
      .trim();
  git('init', '--quiet', '--initial-branch=main');
  const commits: Record<string, string> = {};
  for (const { version, extra } of versions) {
    writePluginFolder(dir, name, { version, ...extra });
    git('add', '-A');
    git('commit', '--quiet', '-m', `version ${version}`);
    git('tag', `v${version}`);
    commits[version] = git('rev-parse', 'HEAD');
  }
  return commits;
}

/** What a refused operation must not leave: anything in staging, trash or pending, or new plugin folders. */
export function leftovers(app: TestApp): { staging: string[]; trash: string[]; pending: string[]; plugins: string[] } {
  const layout = packageLayout(app.context.settings.dataDirectory, app.context.settings.pluginsDirectory);
  const list = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : []);
  return {
    staging: list(layout.staging),
    trash: list(layout.trash),
    pending: list(layout.pending),
    plugins: list(layout.pluginsDirectory),
  };
}

/** Posts a zip as the raw body, as the shell's upload does. */
export function postZip(app: TestApp, url: string, bytes: Buffer, cookie = app.adminCookie) {
  return app.server.inject({
    method: 'POST',
    url,
    headers: { cookie, 'content-type': 'application/zip' },
    payload: bytes,
  });
}

/** Sends JSON (or nothing) with a session cookie. */
export function call(
  app: TestApp,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  payload?: unknown,
  cookie = app.adminCookie,
) {
  return app.server.inject({
    method,
    url,
    headers: { cookie },
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}
