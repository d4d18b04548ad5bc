import type { PluginState } from '../../shared/plugin-states.ts';
import type { BackendStatus } from './supervisor.ts';

/** A plugin's state with its reason, as the API, the pages and the server events report it (SPEC 4.7). */
export interface ReportedState {
  state: PluginState;
  reason?: string;
}

/**
 * What an admin sees of a plugin (pure): the registry's decision, and for an active plugin with a backend, whether
 * that backend answers. `loading` while it starts; `error` with the reason while it is down, crash-looping, behind an
 * open circuit or cannot start; `active` once it answers. The registry keeps such a plugin active: it stays switched
 * on and its backend keeps being restarted.
 */
export function reportedState(record: ReportedState, backend: BackendStatus): ReportedState {
  if (record.state !== 'active') return record;
  const why = backend.reason;
  if (backend.state === 'error') return { state: 'error', reason: `its backend is down: ${why ?? 'unknown reason'}` };
  if (backend.failing) return { state: 'error', reason: why ?? 'its backend is failing' };
  if (backend.state === 'starting') return { state: 'loading', reason: why ?? 'its backend is starting' };
  return record;
}
