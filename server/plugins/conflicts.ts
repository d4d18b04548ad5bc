import type { PluginManifest } from '@dbt-workbench/plugin-sdk/contracts/plugin-manifest.schema';

/**
 * A key only one plugin may hold on this server:
 * - `name`: the folder under PLUGINS_DIRECTORY, and the Module Federation remote and chunk global derived from it
 *   (`wb_<name>` with dashes as underscores: names have no underscores, so different names never meet there);
 * - `route-prefix`: `/api/ext/<name>`, where its backend's routes are served;
 * - `page-path`: a `nav.tab` or `page` path, served at `/w/<workspace>/ext/<path>`. The shell gives a URL to the
 *   longest page path it starts with, so a path below another plugin's (`whats-new/latest` under `whats-new`)
 *   takes part of that plugin's pages: that is a clash too. A plugin may nest its own pages.
 * Contribution ids (`sql.template` ids too) are not keys: they are unique within a plugin and the shell keys them
 * by plugin (`<plugin>:<id>`).
 */
export interface PluginKey {
  kind: 'name' | 'route-prefix' | 'page-path';
  value: string;
}

/** A plugin with the manifest whose keys it claims. */
export interface Claimant {
  name: string;
  manifest: PluginManifest;
}

/** A key a plugin claims that another plugin (the owner) claims too. */
export interface KeyClash {
  /** The claimant's key. */
  key: PluginKey;
  owner: string;
  ownerVersion: string;
  /** The owner's state, when it is not active (an installed plugin owns its keys in every state but `invalid`). */
  ownerState?: string;
  /** The owner's key it clashes with: the same, or a page path that contains or lies under it. */
  ownerKey: PluginKey;
}

/** Every key a plugin's manifest claims, in manifest order. Pure. */
export function ownedKeys(manifest: PluginManifest): PluginKey[] {
  const pages = (manifest.frontend?.contributions ?? []).flatMap((c) =>
    c.slot === 'nav.tab' || c.slot === 'page' ? [{ kind: 'page-path' as const, value: c.path }] : [],
  );
  const unique = [...new Map(pages.map((p) => [p.value, p])).values()];
  return [
    { kind: 'name', value: manifest.name },
    { kind: 'route-prefix', value: `/api/ext/${manifest.name}` },
    ...unique,
  ];
}

const below = (inner: string, outer: string) => inner.startsWith(`${outer}/`);

/** Whether two plugins holding these keys would serve the same name, prefix or page URL. */
function keysClash(a: PluginKey, b: PluginKey): boolean {
  if (a.kind !== b.kind) return false;
  if (a.value === b.value) return true;
  return a.kind === 'page-path' && (below(a.value, b.value) || below(b.value, a.value));
}

/** The keys `claimant` shares with each of `owners` (itself excluded), owners in the order given. Pure. */
export function keyClashes(claimant: Claimant, owners: readonly Claimant[]): KeyClash[] {
  const keys = ownedKeys(claimant.manifest);
  return owners
    .filter((owner) => owner.name !== claimant.name)
    .flatMap((owner) =>
      ownedKeys(owner.manifest).flatMap((ownerKey) =>
        keys
          .filter((key) => keysClash(key, ownerKey))
          .map((key) => ({ key, owner: owner.name, ownerVersion: owner.manifest.version, ownerKey })),
      ),
    );
}

const KEY_WORDS: Record<PluginKey['kind'], string> = {
  name: 'the name',
  'route-prefix': 'the route prefix',
  'page-path': 'the page path',
};

/**
 * One clash in words: `the page path "whats-new" belongs to release-notes 1.0.0`; for a `tie` (neither plugin
 * came first) `the page path "quality" is also claimed by second 1.0.0, and neither was serving it or installed
 * first: remove one`.
 */
export function describeClash(clash: KeyClash, tie = false): string {
  const mine = `${KEY_WORDS[clash.key.kind]} "${clash.key.value}"`;
  const theirs = `${clash.owner} ${clash.ownerVersion}${clash.ownerState ? ` (${clash.ownerState})` : ''}`;
  const same = clash.key.value === clash.ownerKey.value;
  const where = same
    ? mine
    : `${mine} ${below(clash.key.value, clash.ownerKey.value) ? 'lies under' : 'contains'} "${clash.ownerKey.value}",`;
  if (tie) {
    const first = 'and neither was serving it or installed first: remove one';
    return `${where} ${same ? 'is ' : ''}also claimed by ${theirs}, ${first}`;
  }
  return `${where} ${same ? 'belongs' : 'which belongs'} to ${theirs}`;
}

/** What decides which of two clashing plugins keeps its key. */
export interface Precedence {
  /** Which plugin served each key (by `keyId`) before this evaluation: it keeps the key. */
  heldBy: (key: string) => string | undefined;
  /** When a plugin was installed through the installer; the earlier install keeps the key, then any install. */
  installedAt: (name: string) => string | undefined;
  /** The folder a plugin of this name was served from before: of two folders declaring the name, it keeps it. */
  heldIn: (name: string) => string | undefined;
}

/** The id of a key in `Precedence.heldBy`. */
export const keyId = (key: PluginKey) => `${key.kind}:${key.value}`;

/** Which plugin holds each key (by `keyId`), given the plugins that held their keys. Pure. */
export function keyHolders(holders: readonly Claimant[]): Map<string, string> {
  return new Map(holders.flatMap((h) => ownedKeys(h.manifest).map((k) => [keyId(k), h.name] as const)));
}

/**
 * Settles clashes between plugins found together. In each clash the plugin that held its key before keeps it,
 * else the one installed first, else an installed one over a folder copied in by hand; with nothing to tell them
 * apart both lose, so no plugin wins by accident. Returns the reason of each loser, naming each key and its owner.
 * Pure.
 */
export function settleClashes(claimants: readonly Claimant[], precedence: Precedence): Map<string, string> {
  const reasons = new Map<string, string>();
  const rivalsOf = rivalIndex(claimants);
  for (const claimant of claimants) {
    const rivals = rivalsOf(claimant);
    if (rivals.length === 0) continue;
    const lost = keyClashes(claimant, rivals).filter((clash) => !wins(claimant.name, clash, precedence));
    const tie = (clash: KeyClash) => !wins(clash.owner, reversed(claimant, clash), precedence);
    if (lost.length > 0) reasons.set(claimant.name, lost.map((clash) => describeClash(clash, tie(clash))).join('; '));
  }
  return reasons;
}

/** The page paths `value` lies under: `a/b/c` lies under `a/b` and `a`. */
function pathsAbove(value: string): string[] {
  const parts = value.split('/');
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

/**
 * For each claimant, the others that claim one of its keys or a page path containing or under one of its own, in
 * the order given: found through an index of keys, so settling n plugins costs n lookups rather than n² pairs
 * (500 plugins at start-up). Pure.
 */
function rivalIndex(claimants: readonly Claimant[]): (claimant: Claimant) => Claimant[] {
  const byKey = new Map<string, Set<Claimant>>();
  const add = (id: string, claimant: Claimant) => byKey.set(id, (byKey.get(id) ?? new Set()).add(claimant));
  for (const claimant of claimants) {
    for (const key of ownedKeys(claimant.manifest)) {
      add(keyId(key), claimant);
      if (key.kind === 'page-path') for (const above of pathsAbove(key.value)) add(`below:${above}`, claimant);
    }
  }
  return (claimant) => {
    const found = new Set<Claimant>();
    for (const key of ownedKeys(claimant.manifest)) {
      const ids = [keyId(key)];
      if (key.kind === 'page-path') {
        ids.push(
          `below:${key.value}`,
          ...pathsAbove(key.value).map((above) => keyId({ kind: key.kind, value: above })),
        );
      }
      for (const id of ids) for (const rival of byKey.get(id) ?? []) if (rival.name !== claimant.name) found.add(rival);
    }
    return claimants.filter((c) => found.has(c));
  };
}

/** The same clash seen from the owner's side. */
function reversed(claimant: Claimant, clash: KeyClash): KeyClash {
  return { key: clash.ownerKey, owner: claimant.name, ownerVersion: claimant.manifest.version, ownerKey: clash.key };
}

/** Whether the plugin `name` keeps its key in this clash. */
function wins(name: string, clash: KeyClash, precedence: Precedence): boolean {
  const mineHeld = precedence.heldBy(keyId(clash.key)) === name;
  const theirsHeld = precedence.heldBy(keyId(clash.ownerKey)) === clash.owner;
  if (mineHeld !== theirsHeld) return mineHeld;
  const mine = precedence.installedAt(name);
  const theirs = precedence.installedAt(clash.owner);
  if (mine !== undefined && theirs !== undefined && mine !== theirs) return mine < theirs;
  return mine !== undefined && theirs === undefined;
}

/**
 * What a package about to be installed or updated claims that another installed plugin owns. Every installed
 * plugin with a valid manifest owns its keys, disabled, pending or incompatible ones too: they come back without
 * a reinstall, and re-enabling one must not find its page taken. Pure.
 */
export function installClashes(
  manifest: PluginManifest,
  installed: readonly { name: string; state: string; manifest?: PluginManifest }[],
): KeyClash[] {
  const owners = installed.flatMap((p) =>
    p.manifest && p.state !== 'invalid' ? [{ ...p, manifest: p.manifest }] : [],
  );
  const stateOf = new Map(owners.map((o) => [o.name, o.state]));
  return keyClashes({ name: manifest.name, manifest }, owners).map((clash) =>
    stateOf.get(clash.owner) === 'active' ? clash : { ...clash, ownerState: stateOf.get(clash.owner) },
  );
}
