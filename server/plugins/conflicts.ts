import type { PluginManifest } from '../../shared/plugin-manifest.schema.ts';

interface Claimant {
  name: string;
  manifest: PluginManifest;
}

/**
 * Page paths (`nav.tab` and `page` contributions, served at `/w/<workspace>/ext/<path>`) that more than one
 * plugin claims. Each claimant gets a reason naming the path and the others: no plugin wins by accident.
 * Route prefixes (`/api/ext/<name>`) cannot clash, since plugin names are unique. Pure.
 */
export function pathConflicts(claimants: readonly Claimant[]): Map<string, string> {
  const byPath = new Map<string, Set<string>>();
  for (const { name, manifest } of claimants) {
    for (const c of manifest.frontend?.contributions ?? []) {
      if (c.slot !== 'nav.tab' && c.slot !== 'page') continue;
      byPath.set(c.path, (byPath.get(c.path) ?? new Set()).add(name));
    }
  }
  const reasons = new Map<string, string[]>();
  for (const [path, names] of byPath) {
    if (names.size < 2) continue;
    for (const name of names) {
      const others = [...names].filter((n) => n !== name).sort();
      reasons.set(name, [
        ...(reasons.get(name) ?? []),
        `the page path "${path}" is also claimed by ${others.join(', ')}`,
      ]);
    }
  }
  return new Map([...reasons].map(([name, list]) => [name, list.join('; ')]));
}
