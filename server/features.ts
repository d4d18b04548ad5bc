import { createCatalogFeature } from './catalog/feature.ts';
import { createCatalogService, type CatalogService } from './catalog/service.ts';
import type { Feature } from './context.ts';
import { catalogIndexSource } from './lineage/catalog-source.ts';
import { createLineageFeature } from './lineage/feature.ts';
import { createLineageService, type LineageService } from './lineage/service.ts';
import { runsFeature } from './runs/feature.ts';
import { createRunService, type RunService } from './runs/service.ts';
import { schedulesFeature, type SchedulesFeature } from './schedules/feature.ts';
import { createSqlFeature } from './sql/feature.ts';
import { createSqlService, type SqlService } from './sql/service.ts';
import { createSandboxFeature } from './sandbox/feature.ts';
import { createPluginMetricsFeature } from './plugins/metrics/feature.ts';
import { createBudgetsFeature } from './plugins/budgets/feature.ts';
import { createToolsFeature } from './tools/feature.ts';

/**
 * The core services of one app: what its features serve, and the seams (hook points) plugins extend.
 * Made per app, never as module singletons, so several apps in one process (tests) stay apart.
 */
export interface HostServices {
  /** Every workspace's dbt artifacts, index and search; `catalog.hooks` are the artifact-load and search seams. */
  catalog: CatalogService;
  /** Lineage graphs from the catalog's index; `lineage.lineageBuild` is the lineage overlay seam. */
  lineage: LineageService;
  /** Executes runs; shared by the runs API and the scheduler; `runs.hooks` are the run seams. */
  runs: RunService;
  /** Cron schedules that start runs; `scheduler.hooks` are the schedule-run seams. */
  scheduler: SchedulesFeature;
  /** The SQL workspace's DuckDB; the `access-sql-workspace` capability calls this same one. */
  sql: SqlService;
}

export function createHostServices(): HostServices {
  const catalog = createCatalogService();
  const runs = createRunService();
  return {
    catalog,
    lineage: createLineageService({ source: catalogIndexSource(catalog) }),
    runs,
    scheduler: schedulesFeature(runs),
    sql: createSqlService(),
  };
}

/** The host's features, started in this order and stopped in reverse. Add one line per feature. */
export function createFeatures(services: HostServices): Feature[] {
  return [
    createCatalogFeature(services.catalog),
    createLineageFeature(services.lineage),
    runsFeature(services.runs),
    services.scheduler,
    createSqlFeature(services.sql),
    createSandboxFeature(services),
    createToolsFeature(services),
    createPluginMetricsFeature(),
    createBudgetsFeature(),
  ];
}
