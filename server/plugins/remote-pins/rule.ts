import type { PluginManifest } from '@dbt-workbench/plugin-sdk/contracts/plugin-manifest.schema';
import type { RemotePin } from './store.ts';

/** Whether a manifest's `frontend.remote` is an absolute URL (a remote deployed on its own origin). */
export function absoluteRemoteOf(manifest: PluginManifest): string | undefined {
  const remote = manifest.frontend?.remote;
  return remote && /^https?:\/\//.test(remote) ? remote : undefined;
}

/**
 * Why a plugin with an absolute remote must wait for an admin: its remote was never pinned for this version, or a
 * check found it changed since it was pinned. Undefined when it may run (or has no absolute remote). Pure.
 */
export function remotePinHold(manifest: PluginManifest, pin: RemotePin | undefined): string | undefined {
  const url = absoluteRemoteOf(manifest);
  if (!url) return undefined;
  if (!pin || pin.url !== url) {
    return `its remote ${url} is not pinned yet: approving version ${manifest.version} records its content`;
  }
  if (pin.changedAt) {
    const what = pin.changedDetail ? `: ${pin.changedDetail}` : '';
    return `its remote ${url} changed since approval (${pin.changedAt})${what}; approve it again to pin what it serves now`;
  }
  return undefined;
}
