import type { Logger } from 'pino';
import type { RegistrationPoint } from '@dbt-workbench/plugin-sdk/contracts/sandbox.schema';
import type { CatalogHooks } from '../catalog/hooks.ts';
import type { Disposer, HookPoint } from '../hooks/hook-point.ts';
import type { LineageBuildHook } from '../lineage/overlays.ts';
import type { LineageNodesHook } from '../lineage/plugin-nodes.ts';
import type { PluginRecord } from '../plugins/evaluate.ts';
import type { RunHooks } from '../runs/service.ts';
import type { PluginTriggers, TriggerEntry } from '../schedules/plugin-triggers.ts';
import type { ScheduleHooks } from '../schedules/scheduler.ts';
import type { Workspace } from '../workspaces/config.ts';
import { artifactFiles, type EventBus } from './events.ts';
import { hookResultProblem } from './hook-results.ts';
import { retryPolicyFor } from './retries.ts';
import type { Registrations } from './registrations.ts';
import type { BackendRuntime } from './runtime.ts';

/** The host's hook points plugin backends plug into (the app's `HostServices` fit); each is optional. */
export interface HostSeams {
  catalog?: { hooks: CatalogHooks; rebuildAll(): Promise<void> };
  lineage?: { lineageBuild: LineageBuildHook; lineageNodes?: LineageNodesHook };
  runs?: { hooks: RunHooks };
  scheduler?: { hooks: ScheduleHooks; triggers?: Pick<PluginTriggers, 'set'> };
}

export interface SeamDeps {
  seams: HostSeams;
  runtime: BackendRuntime;
  events: EventBus;
  plugins(): readonly PluginRecord[];
  workspaces: readonly Workspace[];
  logger: Logger;
}

const OWNER = 'plugin-runtime';
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- one list holds hook points of every payload type
type AnyHook = HookPoint<any, any>;

export interface WiredSeams {
  /** Runs every enricher and search-index handler again, soon (debounced). */
  refreshMetadata(): void;
  /** The registry changed these plugins (enablement, state): the catalog rebuilds if they enrich it. */
  pluginsChanged(names: readonly string[]): void;
  dispose: Disposer;
}

/**
 * Registers every plugin backend's handlers at the host's hook points, and the core handlers that turn the
 * host's seams into lifecycle events. Follows swaps, crashes and disables.
 */
export function wireSeams(deps: SeamDeps): WiredSeams {
  const { seams, runtime, events } = deps;
  const byPlugin = new Map<string, Disposer[]>();
  const workspaceOf = (name: string) => deps.workspaces.find((w) => w.name === name);
  const retriesOf = (plugin: string) => deps.plugins().find((p) => p.name === plugin)?.manifest?.backend?.retries;
  const enabled = (plugin: string, workspace: string) =>
    deps.plugins().some((p) => p.name === plugin && p.state === 'active' && p.enabledWorkspaces.includes(workspace));
  /** The artifact paths of a workspace, for a plugin that may read them (`read-metadata`). */
  const artifactsFor = (plugin: string, workspace: string) => {
    const ws = workspaceOf(workspace);
    const reads = runtime.active(plugin)?.spec.approved.has('read-metadata');
    return ws && reads ? { artifacts: artifactFiles(ws) } : {};
  };
  const metadataPayload = (plugin: string, workspace: string) => ({ workspace, ...artifactsFor(plugin, workspace) });

  /** Which payload each point's handler gets from the hook's own payload; `null` skips the call. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each mapper reads its own hook's payload
  const points: [RegistrationPoint, AnyHook | undefined, (plugin: string, p: any) => unknown][] = [
    ['artifact-load', seams.catalog?.hooks.artifactLoad, (plugin, p) => metadataPayload(plugin, p.workspace)],
    ['search-index', seams.catalog?.hooks.searchIndexBuild, (plugin, p) => metadataPayload(plugin, p.workspace)],
    ['lineage-build', seams.lineage?.lineageBuild, (_, p) => ({ ...p })],
    ['lineage-nodes', seams.lineage?.lineageNodes, (_, p) => ({ workspace: p.workspace })],
    [
      'run-start',
      seams.runs?.hooks.runStart,
      (plugin, p) => ({ workspace: p.workspace.name, run: p.run, ...artifactsFor(plugin, p.workspace.name) }),
    ],
    [
      'run-complete',
      seams.runs?.hooks.runComplete,
      (plugin, p) => ({
        workspace: p.workspace.name,
        run: p.run,
        status: p.status,
        ...artifactsFor(plugin, p.workspace.name),
      }),
    ],
    [
      'schedule-run-start',
      seams.scheduler?.hooks.scheduleRunStart,
      (plugin, p) => ({ ...schedulePayload(p), ...artifactsFor(plugin, p.workspace.name) }),
    ],
    [
      'schedule-run-complete',
      seams.scheduler?.hooks.scheduleRunComplete,
      (plugin, p) => ({ ...schedulePayload(p), ...artifactsFor(plugin, p.workspace.name) }),
    ],
  ];

  /** Wires what the plugin's backend registers; an idle backend is started by the first hook call that needs it. */
  function rewire(plugin: string, registrations: Registrations | null): boolean {
    const before = byPlugin.get(plugin) ?? [];
    for (const dispose of before) dispose();
    byPlugin.delete(plugin);
    if (!registrations) return before.length > 0;
    const disposers: Disposer[] = [];
    for (const [point, hook, toPayload] of points) {
      if (!hook) continue;
      for (const registration of registrations.of(point)) {
        disposers.push(
          hook.register({
            owner: plugin,
            priority: registration.priority,
            handle: async (payload: { workspace: string | Workspace }) => {
              const workspace = typeof payload.workspace === 'string' ? payload.workspace : payload.workspace.name;
              if (!enabled(plugin, workspace)) return undefined;
              const serving = await runtime.serving(plugin, registrations, registration);
              if (!serving) throw new Error(`${plugin}'s backend is not running`);
              const result = await runtime.invoke(
                plugin,
                serving.backend,
                serving.registration,
                toPayload(plugin, payload),
                'hook',
                point,
                {
                  policy: retryPolicyFor(retriesOf(plugin), registration),
                  stillWanted: () => enabled(plugin, workspace),
                },
              );
              const tooMuch = hookResultProblem(point, result);
              if (!tooMuch) return result;
              runtime.stats(plugin).rejected(point, `its ${point} hook ${tooMuch}`);
              throw new Error(tooMuch);
            },
          }),
        );
      }
    }
    byPlugin.set(plugin, disposers);
    return before.length > 0 || disposers.length > 0;
  }

  let rebuild: NodeJS.Timeout | undefined;
  const rebuildCatalog = () => {
    clearTimeout(rebuild);
    rebuild = setTimeout(() => {
      seams.catalog
        ?.rebuildAll()
        .catch((error: unknown) => deps.logger.error({ err: error }, 'catalog rebuild failed'));
    }, 100);
  };
  const touchesCatalog = (r: Registrations | null) =>
    (r?.of('artifact-load').length ?? 0) + (r?.of('search-index').length ?? 0) > 0;
  /** A backend's scheduler triggers; each asks the plugin's check in the process serving (started) when it fires. */
  const triggersOf = (plugin: string, registrations: Registrations | null): TriggerEntry[] =>
    (registrations?.of('schedule-trigger') ?? []).flatMap((registration) => {
      const definition = registration.trigger;
      if (!definition) return [];
      const { when, workspace } = definition;
      return [
        {
          plugin,
          definition,
          enabled: () => enabled(plugin, workspace) && (when.kind !== 'after-run' || enabled(plugin, when.upstream)),
          check: async (payload: Record<string, unknown>) => {
            const serving = await runtime.serving(plugin, registrations!, registration);
            if (!serving) throw new Error(`${plugin}'s backend is not running`);
            return runtime.invoke(
              plugin,
              serving.backend,
              serving.registration,
              payload,
              'hook',
              `schedule-trigger ${definition.name}`,
            );
          },
        },
      ];
    });
  const triggered = new Set<string>();
  const unsubscribe = runtime.subscribe((plugin, known, previous) => {
    rewire(plugin, known);
    if (seams.scheduler?.triggers && (known || triggered.has(plugin))) {
      const entries = triggersOf(plugin, known);
      seams.scheduler.triggers.set(plugin, entries);
      if (entries.length > 0) triggered.add(plugin);
      else triggered.delete(plugin);
    }
    if (touchesCatalog(known) || touchesCatalog(previous)) rebuildCatalog();
  });

  const core: Disposer[] = [];
  const emitLater = (event: Parameters<EventBus['emit']>[0], payload: unknown, workspace: string) =>
    void events.emit(event, payload, workspace);
  if (seams.catalog) {
    core.push(
      seams.catalog.hooks.catalogRefresh.register({
        owner: OWNER,
        handle: ({ workspace, reason, searchDocuments }) => {
          const ws = workspaceOf(workspace);
          if (reason === 'load')
            emitLater('on-artifact-load', { workspace, ...(ws ? { artifacts: artifactFiles(ws) } : {}) }, workspace);
          emitLater('on-catalog-refresh', { workspace, reason, searchDocuments }, workspace);
        },
      }),
    );
  }
  if (seams.lineage) {
    core.push(
      seams.lineage.lineageBuild.register({
        owner: OWNER,
        priority: 1000,
        handle: ({ workspace, focus, nodes }) => {
          emitLater('on-lineage-build', { workspace, focus, nodes: nodes.length }, workspace);
          return undefined;
        },
      }),
    );
  }
  if (seams.runs) {
    core.push(
      seams.runs.hooks.runComplete.register({
        owner: OWNER,
        priority: 1000,
        handle: ({ workspace, run, status }) =>
          emitLater(
            'on-run-complete',
            { workspace: workspace.name, run, status, artifacts: artifactFiles(workspace) },
            workspace.name,
          ),
      }),
    );
  }
  if (seams.scheduler) {
    const { scheduleRunStart, scheduleRunComplete } = seams.scheduler.hooks;
    core.push(
      scheduleRunStart.register({
        owner: OWNER,
        priority: 1000,
        handle: (p) =>
          emitLater(
            'on-schedule-run-start',
            { ...schedulePayload(p), artifacts: artifactFiles(p.workspace) },
            p.workspace.name,
          ),
      }),
      scheduleRunComplete.register({
        owner: OWNER,
        priority: 1000,
        handle: (p) =>
          emitLater(
            'on-schedule-run-complete',
            { ...schedulePayload(p), artifacts: artifactFiles(p.workspace) },
            p.workspace.name,
          ),
      }),
    );
  }

  return {
    refreshMetadata: rebuildCatalog,
    pluginsChanged(names) {
      if (names.some((name) => touchesCatalog(runtime.registrations(name)))) rebuildCatalog();
    },
    dispose() {
      unsubscribe();
      for (const plugin of triggered) seams.scheduler?.triggers?.set(plugin, []);
      clearTimeout(rebuild);
      for (const dispose of [...core, ...[...byPlugin.values()].flat()]) dispose();
      byPlugin.clear();
    },
  };
}

function schedulePayload(p: {
  workspace: Workspace;
  schedule: { id: string; name: string; cron: string };
  run: unknown;
  status?: unknown;
}) {
  const { id, name, cron } = p.schedule;
  return {
    workspace: p.workspace.name,
    schedule: { id, name, cron },
    run: p.run,
    ...(p.status ? { status: p.status } : {}),
  };
}
