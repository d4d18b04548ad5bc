import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import semver from 'semver';
import { HttpError } from '../../http/errors.ts';
import type { Move, OperationPlan } from './journal.ts';
import type { PackageLayout } from './layout.ts';
import { exists } from './moves.ts';
import type { Act } from './plans.ts';

/**
 * Kept versions for rollback. `previous/<name>` holds the version the last update replaced (see layout.ts); older
 * ones live in `kept/<name>/<version>`. Together they hold at most PLUGIN_KEEP_VERSIONS versions.
 */
export function keptRoot(layout: PackageLayout, name: string): string {
  return path.join(layout.root, 'kept', name);
}

const SAFE_VERSION = /^[0-9A-Za-z.+-]+$/;

export function keptFor(layout: PackageLayout, name: string, version: string): string {
  if (!SAFE_VERSION.test(version) || version.startsWith('.')) throw new Error(`unsafe version folder: ${version}`);
  return path.join(keptRoot(layout, name), version);
}

/** The version in a package folder's manifest, or undefined when it has none readable. */
async function versionIn(dir: string): Promise<string | undefined> {
  try {
    const version = (JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as { version?: unknown })
      .version;
    return typeof version === 'string' && SAFE_VERSION.test(version) ? version : undefined;
  } catch {
    return undefined;
  }
}

const newestFirst = (a: string, b: string) =>
  semver.valid(a) && semver.valid(b) ? semver.rcompare(a, b) : b.localeCompare(a);

export interface KeptVersions {
  /** The version in `previous/<name>`, if that folder exists and is readable. */
  previous: string | undefined;
  /** Versions in `kept/<name>/`, newest first. */
  older: string[];
}

export async function keptVersions(layout: PackageLayout, name: string): Promise<KeptVersions> {
  const previous = (await exists(layout.previousFor(name))) ? await versionIn(layout.previousFor(name)) : undefined;
  const folders = await readdir(keptRoot(layout, name)).catch(() => [] as string[]);
  const older = folders.filter((v) => SAFE_VERSION.test(v) && v !== previous).sort(newestFirst);
  return { previous, older };
}

/** Every version a rollback can return to, newest first. */
export function allKept(kept: KeptVersions): string[] {
  return [...new Set([...(kept.previous ? [kept.previous] : []), ...kept.older])].sort(newestFirst);
}

/**
 * Turns an update's activation plan into one that keeps what it replaces: instead of trashing `previous/<name>`,
 * it moves it to `kept/<name>/<version>`, and trashes the oldest kept versions beyond `keep` (counting the folder
 * `previous/<name>` the running version moves into). With `keep` 1 the plan is unchanged.
 */
export async function keepingPlan(layout: PackageLayout, plan: OperationPlan, keep: number): Promise<OperationPlan> {
  const name = plan.plugin;
  const previous = layout.previousFor(name);
  const index = plan.moves.findIndex((m) => m.from === previous);
  if (index < 0 || keep <= 1) return plan;
  const kept = await keptVersions(layout, name);
  if (!kept.previous) return plan;
  const trash = layout.trashFor(plan.id);
  const survivors = kept.older.filter((v) => v !== kept.previous).slice(0, Math.max(0, keep - 2));
  const dropped = (await readdir(keptRoot(layout, name)).catch(() => [] as string[])).filter(
    (v) => !survivors.includes(v),
  );
  const moves: Move[] = [
    ...dropped.map((v, i) => ({ from: path.join(keptRoot(layout, name), v), to: `${trash}/kept-${i}` })),
    ...plan.moves.map((m, i) => (i === index ? { from: m.from, to: keptFor(layout, name, kept.previous!) } : m)),
  ];
  return { ...plan, moves };
}

/**
 * Rollback to a kept version, atomically like an update: the running version is kept (in `previous/<name>` when the
 * target comes from `kept/`, else in `kept/<name>/<version>`), the target takes the running folder. Approvals are
 * per version, so the target runs with whatever was approved for it before.
 */
export async function rollbackPlan(
  layout: PackageLayout,
  act: Act,
  input: {
    name: string;
    current: { directory: string; version: string };
    target: string;
    kept: KeptVersions;
    installedAt: string | undefined;
    source: string;
    /** The target's digest in the package store, when it has one. */
    digest: string | undefined;
  },
): Promise<OperationPlan> {
  const { name, current, target, kept } = input;
  const trash = layout.trashFor(act.id);
  const moves: Move[] = [];
  const park = async (version: string, i: number) => {
    const dir = keptFor(layout, name, version);
    if (await exists(dir)) moves.push({ from: dir, to: `${trash}/kept-${i}` });
    return dir;
  };
  if (target === kept.previous) {
    moves.push({ from: current.directory, to: await park(current.version, 0) });
    moves.push({ from: layout.previousFor(name), to: current.directory });
  } else {
    if (kept.previous) moves.push({ from: layout.previousFor(name), to: await park(kept.previous, 0) });
    moves.push({ from: current.directory, to: layout.previousFor(name) });
    moves.push({ from: keptFor(layout, name, target), to: current.directory });
  }
  return {
    id: act.id,
    plugin: name,
    kind: 'activate',
    moves,
    effects: [
      {
        type: 'installation',
        name,
        version: target,
        source: input.source,
        checksum: null,
        previousVersion: current.version,
        installedAt: input.installedAt ?? act.at,
        at: act.at,
        digest: input.digest ?? null,
      },
      {
        type: 'audit',
        actorId: act.actor.id,
        actorName: act.actor.username,
        action: 'plugin.rollback',
        target: name,
        details: { from: current.version, to: target },
        at: act.at,
      },
    ],
    cleanup: [trash],
  };
}

/** Drops every older kept version of a plugin (`kept/<name>`), as the first step of removing it. */
export function discardKeptPlan(layout: PackageLayout, act: Act, name: string): OperationPlan {
  const trash = layout.trashFor(act.id);
  return {
    id: act.id,
    plugin: name,
    kind: 'discard-update',
    moves: [{ from: keptRoot(layout, name), to: `${trash}/kept` }],
    effects: [],
    cleanup: [trash],
  };
}

/** The version a rollback goes to: the one asked for, else the one the last update replaced, else the newest kept. */
export function rollbackTarget(name: string, kept: KeptVersions, current: string, asked: string | undefined): string {
  const all = allKept(kept).filter((v) => v !== current);
  if (all.length === 0) {
    throw new HttpError('conflict', `Plugin "${name}" has no kept previous version to roll back to`);
  }
  if (asked === undefined) return kept.previous && kept.previous !== current ? kept.previous : all[0]!;
  if (asked === current) throw new HttpError('conflict', `Version ${asked} of "${name}" is running already`);
  if (!all.includes(asked)) {
    throw new HttpError(
      'conflict',
      `Version ${asked} of "${name}" is not kept; it can roll back to ${all.map((v) => `v${v}`).join(', ')}`,
    );
  }
  return asked;
}
