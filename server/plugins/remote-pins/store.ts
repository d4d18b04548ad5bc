import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import type { RemoteFacts } from './fetch-remote.ts';

/** A remote pinned when an admin approved a plugin version, and whether a later check found it changed. */
export interface RemotePin extends RemoteFacts {
  plugin: string;
  version: string;
  url: string;
  pinnedAt: string;
  /** When a check first found the live remote different from the pin; the plugin waits for approval since. */
  changedAt?: string;
  /** What differed, in words (`remoteEntry.js changed`). */
  changedDetail?: string;
}

/** The pin of a plugin version, for evaluation. */
export type RemotePinLookup = (name: string, version: string) => RemotePin | undefined;

interface Row {
  plugin: string;
  version: string;
  url: string;
  manifest_sha256: string;
  assets: string;
  pinned_at: string;
  changed_at: string | null;
  changed_detail: string | null;
}

const Assets = z.record(z.string(), z.string()).catch({});

function toPin(row: Row): RemotePin {
  return {
    plugin: row.plugin,
    version: row.version,
    url: row.url,
    manifestSha256: row.manifest_sha256,
    assets: Assets.parse(JSON.parse(row.assets)),
    pinnedAt: row.pinned_at,
    ...(row.changed_at ? { changedAt: row.changed_at } : {}),
    ...(row.changed_detail ? { changedDetail: row.changed_detail } : {}),
  };
}

/** The `plugin_remote_pins` table: one pin per plugin version. */
export function createRemotePinStore(db: Database) {
  async function list(): Promise<RemotePin[]> {
    return (await db.all<Row>('SELECT * FROM plugin_remote_pins ORDER BY plugin, version')).map(toPin);
  }
  return {
    list,
    /** A snapshot for evaluation. */
    async load(): Promise<RemotePinLookup> {
      const pins = new Map((await list()).map((p) => [`${p.plugin}@${p.version}`, p]));
      return (name, version) => pins.get(`${name}@${version}`);
    },
    /** Records what `url` serves now as the approved content of `plugin@version`; clears any earlier change. */
    async save(plugin: string, version: string, url: string, facts: RemoteFacts, userId: string | null): Promise<void> {
      await db.transaction(async (tx) => {
        await tx.run('DELETE FROM plugin_remote_pins WHERE plugin = ? AND version = ?', [plugin, version]);
        await tx.run(
          `INSERT INTO plugin_remote_pins (plugin, version, url, manifest_sha256, assets, pinned_by, pinned_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
          [plugin, version, url, facts.manifestSha256, JSON.stringify(facts.assets), userId, new Date().toISOString()],
        );
      });
    },
    /** Marks a pin as no longer matching its remote, keeping the first time that was seen. */
    async markChanged(plugin: string, version: string, detail: string, at: string): Promise<void> {
      await db.run(
        `UPDATE plugin_remote_pins SET changed_at = COALESCE(changed_at, ?), changed_detail = ?
         WHERE plugin = ? AND version = ?`,
        [at, detail, plugin, version],
      );
    },
  };
}

export type RemotePinStore = ReturnType<typeof createRemotePinStore>;
