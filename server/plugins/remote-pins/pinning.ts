// Pinning a remote deployed at its own URL: at approval the server records what it serves; afterwards it checks
// the live remote against that pin, and a change sends the plugin back to its admin.
import type { Logger } from 'pino';
import type { PluginManifest } from '@dbt-workbench/plugin-sdk/contracts/plugin-manifest.schema';
import { createAuditLog } from '../../audit/audit-log.ts';
import type { Database } from '../../db/database.ts';
import { HttpError } from '../../http/errors.ts';
import type { PluginRegistry } from '../registry.ts';
import { readRemote, remoteDifference, RemoteReadError, type ReadRemoteOptions } from './fetch-remote.ts';
import { absoluteRemoteOf } from './rule.ts';
import { createRemotePinStore, type RemotePin } from './store.ts';

/**
 * The one call every approval path makes before it records an approval: when the version's `frontend.remote` is
 * an absolute URL, downloads it and pins its content (manifest digest, SRI of every listed file) for that
 * version. A remote that cannot be read refuses the approval (502) and changes nothing. No-op for local remotes.
 */
export async function pinRemoteAtApproval(
  db: Database,
  manifest: PluginManifest,
  userId: string | null,
  options?: ReadRemoteOptions,
): Promise<void> {
  const url = absoluteRemoteOf(manifest);
  if (!url) return;
  let facts;
  try {
    facts = await readRemote(url, options);
  } catch (error) {
    if (!(error instanceof RemoteReadError)) throw error;
    throw new HttpError(
      'remote_unreachable',
      `Cannot approve ${manifest.name} ${manifest.version}: its remote could not be pinned (${error.message}); nothing was approved`,
    );
  }
  await createRemotePinStore(db).save(manifest.name, manifest.version, url, facts, userId);
}

/**
 * Compares a pin with what its URL serves now. Returns what changed, or undefined when it is the same or cannot
 * be reached (an outage is not a change: the browser cannot load it either, and the next check looks again).
 */
export async function remoteChange(pin: RemotePin, options?: ReadRemoteOptions): Promise<string | undefined> {
  try {
    return remoteDifference(pin, await readRemote(pin.url, options), pin.url);
  } catch (error) {
    if (error instanceof RemoteReadError && error.answered) return error.message;
    return undefined;
  }
}

export interface RemoteChecksOptions {
  db: Database;
  registry: PluginRegistry;
  logger: Logger;
  read?: ReadRemoteOptions;
}

/**
 * Checks the pinned remote of every plugin version discovered now; each change found is recorded with an audit
 * entry (`plugin.remote-changed`, actor "system") and the registry re-evaluates, which withholds the plugin.
 * Returns the plugins found changed.
 */
export async function checkPinnedRemotes(options: RemoteChecksOptions): Promise<string[]> {
  const { db, registry, logger } = options;
  const pins = await createRemotePinStore(db).list();
  const current = new Set(
    registry
      .list()
      .flatMap((p) => (p.manifest ? [`${p.name}@${p.manifest.version}@${p.manifest.frontend?.remote}`] : [])),
  );
  const changed: string[] = [];
  for (const pin of pins.filter((p) => !p.changedAt && current.has(`${p.plugin}@${p.version}@${p.url}`))) {
    const detail = await remoteChange(pin, options.read);
    if (!detail) continue;
    const at = new Date().toISOString();
    await db.transaction(async (tx) => {
      await createRemotePinStore(tx).markChanged(pin.plugin, pin.version, detail, at);
      await createAuditLog(tx).record({
        actor: null,
        action: 'plugin.remote-changed',
        target: pin.plugin,
        details: { version: pin.version, url: pin.url, change: detail },
      });
    });
    logger.warn({ plugin: pin.plugin, url: pin.url, change: detail }, 'a pinned remote changed since approval');
    changed.push(pin.plugin);
  }
  if (changed.length > 0) await registry.refresh();
  return changed;
}

/**
 * Runs `checkPinnedRemotes` once at start (a remote may have changed while the server was down) and then every
 * `intervalMs`, never two at once; returns the function that stops it.
 */
export function startRemoteChecks(options: RemoteChecksOptions & { intervalMs: number }): () => void {
  if (options.intervalMs <= 0) return () => {};
  let running = false;
  const check = () => {
    if (running) return;
    running = true;
    checkPinnedRemotes(options)
      .catch((error: unknown) => options.logger.error({ err: error }, 'checking pinned remotes failed'))
      .finally(() => (running = false));
  };
  const timer = setInterval(check, options.intervalMs);
  timer.unref();
  check();
  return () => clearInterval(timer);
}
