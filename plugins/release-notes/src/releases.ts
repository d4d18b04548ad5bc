/** One release of a workspace's dbt project. */
export interface Release {
  version: string;
  date: string;
  highlights: string[];
}

const isRelease = (value: unknown): value is Release => {
  const r = value as Partial<Release> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.version === 'string' &&
    typeof r.date === 'string' &&
    Array.isArray(r.highlights) &&
    r.highlights.every((line) => typeof line === 'string')
  );
};

/**
 * The release notes of one workspace, newest first, from the plugin's configuration (`releases`, keyed by
 * workspace name). A workspace the configuration does not name has none: notes of one project are never shown
 * as another's. Read defensively, as the host checks the schema but the types are ours. Pure.
 */
export function releasesFor(config: Readonly<Record<string, unknown>>, workspace: string): Release[] {
  const all = config.releases;
  if (typeof all !== 'object' || all === null) return [];
  const own = (all as Record<string, unknown>)[workspace];
  return Array.isArray(own) ? own.filter(isRelease) : [];
}

/** What the page and the widget say when a workspace has no notes, and where an admin adds them. Pure. */
export function noReleasesText(workspace: { name: string; title: string }): string {
  return (
    `No release notes for ${workspace.title} yet. An admin adds them in Admin → Plugins → Release notes → ` +
    `Configure, under the workspace's name "${workspace.name}".`
  );
}
