import type { Logger } from 'pino';
import type { Database } from '../db/database.ts';
import { createRegistrations, type Registration, type Registrations } from './registrations.ts';

/**
 * What each build of a plugin backend registered when it last ran (routes, events, hooks, tools, triggers), kept in
 * the database: the server knows what a backend subscribes to without starting it, so backends start when first
 * needed. Keyed by the build's launch revision (its code, approvals and workspaces), so a changed build runs once
 * to be known again.
 */
export interface RegistrationMemory {
  /** What this build registered when it last ran; undefined when it never ran here. */
  recall(plugin: string, revision: string): Registrations | undefined;
  /** Records what the running build registered (written in the background; a failure is logged). */
  record(plugin: string, revision: string, registrations: Registrations): void;
  /** Resolves once the records written so far are in the database (before it closes). */
  settled(): Promise<void>;
}

/** Another revision of a plugin is kept this long (replicas rolling to a new build, a rollback). */
const KEEP_OTHER_REVISIONS_MS = 7 * 24 * 3600_000;

/** The shape of what a backend registers, without the handler ids a process gave them: equal means same wiring. */
export function registrationSignature(registrations: Registrations | null): string {
  return JSON.stringify(registrations?.all().map(({ handler: _, ...rest }) => rest) ?? null);
}

function parse(text: string): Registration[] | undefined {
  try {
    const list: unknown = JSON.parse(text);
    const valid =
      Array.isArray(list) &&
      list.every((r) => r && typeof r === 'object' && typeof r.handler === 'number' && typeof r.point === 'string');
    return valid ? (list as Registration[]) : undefined;
  } catch {
    return undefined;
  }
}

/** Reads every remembered build at start; afterwards recall is synchronous, from memory. */
export async function loadRegistrationMemory(db: Database, logger: Logger): Promise<RegistrationMemory> {
  const key = (plugin: string, revision: string) => `${plugin}\n${revision}`;
  const known = new Map<string, { list: Registration[]; signature: string }>();
  const writing = new Set<Promise<void>>();
  const rows = await db.all<{ plugin: string; revision: string; registrations: string }>(
    'SELECT plugin, revision, registrations FROM plugin_backend_registrations',
  );
  for (const row of rows) {
    const list = parse(row.registrations);
    if (list)
      known.set(key(row.plugin, row.revision), { list, signature: registrationSignature(createRegistrations(list)) });
  }
  return {
    recall(plugin, revision) {
      const entry = known.get(key(plugin, revision));
      return entry ? createRegistrations(entry.list) : undefined;
    },
    record(plugin, revision, registrations) {
      const signature = registrationSignature(registrations);
      if (known.get(key(plugin, revision))?.signature === signature) return;
      const list = registrations.all();
      known.set(key(plugin, revision), { list, signature });
      const now = new Date();
      const write = db
        .transaction(async (tx) => {
          await tx.run(
            `INSERT INTO plugin_backend_registrations (plugin, revision, registrations, recorded_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (plugin, revision) DO UPDATE SET registrations = excluded.registrations,
               recorded_at = excluded.recorded_at`,
            [plugin, revision, JSON.stringify(list), now.toISOString()],
          );
          await tx.run(
            'DELETE FROM plugin_backend_registrations WHERE plugin = ? AND revision <> ? AND recorded_at < ?',
            [plugin, revision, new Date(now.getTime() - KEEP_OTHER_REVISIONS_MS).toISOString()],
          );
        })
        .catch((error: unknown) =>
          logger.warn({ err: error, plugin }, 'could not record what the plugin backend registered'),
        )
        .finally(() => writing.delete(write));
      writing.add(write);
    },
    settled: async () => void (await Promise.all(writing)),
  };
}
