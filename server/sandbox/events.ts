import path from 'node:path';
import type { Logger } from 'pino';
import type { LifecycleEvent } from '@dbt-workbench/plugin-sdk/contracts/lifecycle-events';
import type { ArtifactFiles } from '@dbt-workbench/plugin-sdk';
import type { PluginRecord } from '../plugins/evaluate.ts';
import type { Workspace } from '../workspaces/config.ts';
import { createDispatcher, dependencyLevels, type DeliveryOutcome, type EventSubscriber } from './dispatcher.ts';
import { retryPolicyFor } from './retries.ts';
import type { BackendRuntime } from './runtime.ts';
import type { ActiveBackend, OwnLifecycle } from './supervisor.ts';

/** Delivers lifecycle events (SPEC 4.6) to the plugin backends subscribed to them. */
export interface EventBus {
  /**
   * Delivers `event` to every active backend subscribed to it (and enabled in `workspace`, when given).
   * Never throws: failures and timeouts are in the outcomes, the plugin's diagnostics and the log. `except`: a
   * plugin left out (its own lifecycle events reach it through `deliverOwn`).
   */
  emit(event: LifecycleEvent, payload: unknown, workspace?: string, except?: string): Promise<DeliveryOutcome[]>;
  /**
   * Delivers a lifecycle event about a plugin to one of its own processes, in order with its other events, each
   * handler within `timeoutMs`. Never throws; a failure is recorded and logged.
   */
  deliverOwn(plugin: string, backend: ActiveBackend, own: OwnLifecycle, timeoutMs: number): Promise<void>;
}

export interface EventBusDeps {
  runtime: BackendRuntime;
  plugins(): readonly PluginRecord[];
  logger: Logger;
}

export function createEventBus(deps: EventBusDeps): EventBus {
  const dispatcher = createDispatcher();
  return {
    async emit(event, payload, workspace, except) {
      const wanted = (p: PluginRecord) =>
        p.state === 'active' && (workspace === undefined || p.enabledWorkspaces.includes(workspace));
      const records = deps.plugins().filter((p) => wanted(p) && p.name !== except);
      const levels = dependencyLevels(
        new Map(records.map((p) => [p.name, Object.keys(p.manifest?.dependencies ?? {})])),
      );
      const subscribers: EventSubscriber[] = records.flatMap((record) => {
        // Known without running it: an idle backend subscribed to the event is started by its delivery.
        const registered = deps.runtime.registrations(record.name)?.forEvent(event) ?? [];
        if (registered.length === 0) return [];
        return [
          {
            plugin: record.name,
            level: levels.get(record.name) ?? 0,
            priority: Math.min(...registered.map((r) => r.priority)),
            async deliver() {
              // The process serving when the plugin's turn comes: a swap in between delivers to the new one.
              const backend = deps.runtime.active(record.name) ?? (await deps.runtime.ready(record.name));
              if (!backend) throw new Error(`${record.name}'s backend is not running`);
              for (const registration of backend.registrations.forEvent(event)) {
                await deps.runtime.invoke(record.name, backend, registration, payload, 'event', event, {
                  policy: retryPolicyFor(record.manifest?.backend?.retries, registration),
                  stillWanted: () => deps.plugins().some((p) => p.name === record.name && wanted(p)),
                });
              }
            },
          },
        ];
      });
      if (subscribers.length === 0) return [];
      const outcomes = await dispatcher.dispatch(subscribers);
      for (const o of outcomes.filter((x) => !x.ok))
        deps.logger.warn({ plugin: o.plugin, event, error: o.error }, `plugin event handler failed: ${event}`);
      return outcomes;
    },
    async deliverOwn(plugin, backend, { event, payload }, timeoutMs) {
      const registered = backend.registrations.forEvent(event);
      if (registered.length === 0) return;
      const retries = deps.plugins().find((p) => p.name === plugin)?.manifest?.backend?.retries;
      const [outcome] = await dispatcher.dispatch([
        {
          plugin,
          level: 0,
          priority: 0,
          async deliver() {
            for (const registration of registered)
              await deps.runtime.invoke(plugin, backend, registration, payload, 'event', event, {
                policy: retryPolicyFor(retries, registration),
                // Only while this process still runs: a retry never reaches another build.
                stillWanted: () => backend.instance.isAlive(),
                timeoutMs,
              });
          },
        },
      ]);
      if (outcome && !outcome.ok)
        deps.logger.warn({ plugin, event, error: outcome.error }, `plugin event handler failed: ${event}`);
    },
  };
}

/** The artifact files of a workspace, as paths a plugin with `read-metadata` may read. */
export function artifactFiles(workspace: Pick<Workspace, 'targetDir'>): ArtifactFiles {
  return {
    targetDir: workspace.targetDir,
    manifest: path.join(workspace.targetDir, 'manifest.json'),
    catalog: path.join(workspace.targetDir, 'catalog.json'),
    runResults: path.join(workspace.targetDir, 'run_results.json'),
  };
}
