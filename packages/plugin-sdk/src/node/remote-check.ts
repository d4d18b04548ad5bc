import { z } from 'zod';
import type { PluginManifest } from '../contracts/plugin-manifest.schema.ts';
import { remoteNameFor } from '../contracts/versions.ts';

/** The part of a built remote's `mf-manifest.json` the server checks before the shell runs any of its code. */
const RemoteManifestFacts = z.object({
  name: z.string(),
  exposes: z.array(z.object({ path: z.string() })),
});

/**
 * Checks that a plugin's built remote matches its manifest: built at all, under the expected remote name,
 * exposing every module a contribution references. Returns problems; empty means the remote is fine.
 * Remotes deployed at their own URL are pinned when an admin approves them (remote-pins/), not checked here.
 */
export function remoteProblems(
  manifest: PluginManifest,
  remoteManifest: { ok: true; json: unknown } | { ok: false; error: string } | undefined,
): string[] {
  const frontend = manifest.frontend;
  if (!frontend || /^https?:/.test(frontend.remote)) return [];
  if (!remoteManifest) {
    const beside = frontend.remote.replace(/[^/]+$/, 'mf-manifest.json');
    return [`frontend/${beside} is missing: build the plugin's frontend first`];
  }
  if (!remoteManifest.ok) return [`frontend: ${remoteManifest.error}`];
  const facts = RemoteManifestFacts.safeParse(remoteManifest.json);
  if (!facts.success) return ['frontend/mf-manifest.json does not look like a Module Federation manifest'];
  const problems: string[] = [];
  const expected = remoteNameFor(manifest.name);
  if (facts.data.name !== expected) {
    problems.push(`the remote is built as "${facts.data.name}" but must be named "${expected}"`);
  }
  const exposed = new Set(facts.data.exposes.map((e) => e.path));
  for (const contribution of frontend.contributions) {
    if ('module' in contribution && !exposed.has(contribution.module)) {
      problems.push(
        `contribution "${contribution.id}" uses module "${contribution.module}", which the remote does not expose`,
      );
    }
  }
  return problems;
}
