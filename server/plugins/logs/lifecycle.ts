import type { PluginLogLevel } from '../../../shared/plugin-logs.schema.ts';
import type { PluginState } from '../../../shared/plugin-states.ts';
import type { UiTrust } from '../../../shared/ui-trust.schema.ts';
import type { BackendEvent } from '@dbt-workbench/plugin-sdk/contracts/sandbox.schema';
import type { PluginRecord } from '../evaluate.ts';
import type { PluginRegistry } from '../registry.ts';
import type { PluginLogWrite } from './store.ts';

/** A lifecycle line to write: level and message. */
export interface LifecycleLine {
  level: PluginLogLevel;
  message: string;
}

const stateLevel: Record<PluginState, PluginLogLevel> = {
  active: 'info',
  disabled: 'info',
  loading: 'info',
  'pending-approval': 'warn',
  invalid: 'error',
  incompatible: 'error',
  error: 'error',
};

const stateText = (p: PluginRecord) => (p.reason ? `${p.state}: ${p.reason}` : p.state);
const list = (items: readonly string[]) => (items.length > 0 ? items.join(', ') : 'none');

/** A registry record, with the UI trust level the registry adds to it. */
type Decided = PluginRecord & { uiTrust?: UiTrust };

/**
 * What the registry decided about one plugin between two refreshes, as lines for its log (pure): discovered,
 * state changes with the reason, new builds, failed reloads, enablement, approvals, configuration, UI trust level,
 * removal.
 */
export function registryDecisions(before: Decided | undefined, after: Decided | undefined): LifecycleLine[] {
  if (!after) return before ? [{ level: 'info', message: 'removed: its folder is gone' }] : [];
  const version = after.manifest?.version ? ` (version ${after.manifest.version})` : '';
  if (!before) return [{ level: stateLevel[after.state], message: `discovered${version}: ${stateText(after)}` }];
  const lines: LifecycleLine[] = [];
  if (after.reloadError && after.reloadError.reason !== before.reloadError?.reason) {
    const failed = after.reloadError;
    lines.push({
      level: 'error',
      message: `reload failed (${failed.state}: ${failed.reason}); ${after.manifest?.version ?? after.revision} keeps running`,
    });
  }
  if (before.revision !== after.revision) {
    const from = before.manifest?.version;
    const to = after.manifest?.version;
    lines.push({
      level: 'info',
      message:
        from && to && from !== to ? `version ${from} → ${to}` : `new build: ${before.revision} → ${after.revision}`,
    });
  }
  if (before.state !== after.state)
    lines.push({ level: stateLevel[after.state], message: `state ${before.state} → ${stateText(after)}` });
  else if (after.reason && before.reason !== after.reason)
    lines.push({ level: stateLevel[after.state], message: stateText(after) });
  if (before.approvedCapabilities.join() !== after.approvedCapabilities.join())
    lines.push({ level: 'info', message: `approved capabilities: ${list(after.approvedCapabilities)}` });
  if (before.enabledWorkspaces.join() !== after.enabledWorkspaces.join())
    lines.push({ level: 'info', message: `enabled in workspaces: ${list(after.enabledWorkspaces)}` });
  if (JSON.stringify(before.config) !== JSON.stringify(after.config))
    lines.push({ level: 'info', message: 'configuration changed' });
  if (before.uiTrust && after.uiTrust && before.uiTrust !== after.uiTrust)
    lines.push({ level: 'info', message: `UI trust level: ${before.uiTrust} → ${after.uiTrust}` });
  return lines;
}

/** Records by name; with duplicate names, the first, as `registry.get` answers. */
function byName(records: readonly Decided[]): Map<string, Decided> {
  const map = new Map<string, Decided>();
  for (const r of records) if (!map.has(r.name)) map.set(r.name, r);
  return map;
}

/** Writes the registry's decisions about each plugin into its log, from now on; returns the unsubscribe function. */
export function logRegistryDecisions(registry: PluginRegistry, write: PluginLogWrite): () => void {
  let known = byName(registry.list());
  return registry.subscribe((change) => {
    const now = byName(registry.list());
    for (const name of change.plugins)
      for (const line of registryDecisions(known.get(name), now.get(name)))
        write(name, line.level, 'lifecycle', line.message);
    known = now;
  });
}

/** Events not named here (start, activated, swap, stop) are `info`. */
const eventLevel: Partial<Record<BackendEvent['type'], PluginLogLevel>> = {
  restart: 'warn',
  retry: 'warn',
  throttled: 'warn',
  timeout: 'warn',
  'activate-failed': 'error',
  crash: 'error',
  'circuit-open': 'error',
};

/** A backend supervisor event (start, crash, restart, circuit open...) as a lifecycle line. */
export function backendEventLine(event: Pick<BackendEvent, 'type' | 'message'>): LifecycleLine {
  return { level: eventLevel[event.type] ?? 'info', message: `backend ${event.type}: ${event.message}` };
}
