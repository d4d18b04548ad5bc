import type { Logger } from 'pino';
import type { Database } from '../../db/database.ts';
import type { Settings } from '../../settings.ts';
import { crashPoint } from './crash.ts';
import { createJournal, type RecoveryReport } from './journal.ts';
import { packageLayout } from './layout.ts';

/**
 * Called once at boot, before the first discovery: finishes or rolls back every plugin install, update or remove a
 * crash interrupted (see journal.ts), and deletes leftover staging, trash and orphan pending folders. Assumes this
 * process alone works on the plugins directory while it runs.
 */
export async function recoverPluginOperations(
  settings: Pick<Settings, 'dataDirectory' | 'pluginsDirectory'>,
  db: Database,
  logger: Logger,
): Promise<RecoveryReport[]> {
  const layout = packageLayout(settings.dataDirectory, settings.pluginsDirectory);
  const journal = createJournal(db, layout, crashPoint(undefined), logger.child({ component: 'plugin-recovery' }));
  return journal.recover();
}
