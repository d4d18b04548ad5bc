import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod';
import { ServerEvent } from '../../shared/events.schema.ts';
import type { Database } from '../db/database.ts';
import type { PostgresDatabase } from '../db/postgres.ts';
import type { PluginRegistry } from '../plugins/registry.ts';
import type { EventStream } from './event-stream.ts';

/** The PostgreSQL notification channel every replica on one database follows. */
const CHANNEL = 'workbench_changes';
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; a longer list of names is left out (see below). */
const MAX_PAYLOAD = 7000;

const Notification = z.object({ from: z.string(), event: ServerEvent });

/**
 * Several servers on one PostgreSQL behave as one app: every event published on one replica (the registry's
 * `plugins-changed` after any install, update, approval, enablement, configuration, UI trust, rollback, removal or
 * automatic disable; a workspace's configuration; notices) is sent to the others with NOTIFY. A replica hearing
 * `plugins-changed` refreshes its registry from the database, and its own registry change then reaches its shells;
 * other events go straight to its shells. A replica that lost its listening connection missed notifications, so it
 * refreshes everything and tells its shells to refetch. On SQLite there is one server, and nothing to share.
 *
 * A refresh caused by another replica publishes its own `plugins-changed`, which the first replica hears and
 * answers with a refresh that finds nothing new: one wasted discovery per change, never a loop. Skipping it would
 * be wrong, since a local change made meanwhile shares that same refresh.
 */
export async function shareChangesAcrossReplicas(deps: {
  db: Database;
  events: EventStream;
  registry: PluginRegistry;
  logger: Logger;
}): Promise<() => Promise<void>> {
  if (deps.db.dialect !== 'postgres') return async () => {};
  const db = deps.db as PostgresDatabase;
  const { events, registry, logger } = deps;
  const replica = randomUUID();

  const refresh = () =>
    registry.refresh().catch((error: unknown) => {
      logger.warn({ err: error }, 'refresh after another replica changed plugins failed');
    });

  const stopListening = await db.listen(CHANNEL, {
    message(payload) {
      const parsed = parseNotification(payload);
      if (!parsed) {
        logger.warn({ payload: payload.slice(0, 200) }, 'ignored a malformed change notification');
        return;
      }
      if (parsed.from === replica) return;
      if (parsed.event.type === 'plugins-changed') void refresh();
      else events.deliver(parsed.event);
    },
    async reconnected() {
      logger.info('the change notifications were lost for a while: refreshing everything');
      await refresh();
      const at = new Date().toISOString();
      events.deliver({ type: 'plugins-changed', plugins: registry.list().map((p) => p.name), at });
      events.deliver({ type: 'notices-changed', at });
    },
  });

  const stopRelaying = events.onPublish((event) => {
    // A backend's state is that replica's own: each replica runs its own backends.
    if (event.type === 'plugin-state-changed') return;
    db.notify(CHANNEL, payloadOf(replica, event)).catch((error: unknown) => {
      logger.warn({ err: error, event: event.type }, 'could not tell the other replicas about a change');
    });
  });

  return async () => {
    stopRelaying();
    await stopListening();
  };
}

function payloadOf(from: string, event: ServerEvent): string {
  const payload = JSON.stringify({ from, event });
  // The receiver refreshes its whole registry whichever plugins are named, so a long list can go.
  if (Buffer.byteLength(payload) <= MAX_PAYLOAD || event.type !== 'plugins-changed') return payload;
  return JSON.stringify({ from, event: { ...event, plugins: [] } });
}

function parseNotification(payload: string): z.infer<typeof Notification> | undefined {
  try {
    const parsed = Notification.safeParse(JSON.parse(payload));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
