// Pure rules of the bi-exposures plugin.
import type { LineageAdditions } from '@dbt-workbench/plugin-sdk';

export interface Dashboard {
  name: string;
  description?: string;
  reads: string[];
}

/** Exposure nodes for the dashboards, and an edge from each model a dashboard reads that the project has. */
export function exposuresOf(
  dashboards: readonly Dashboard[],
  models: readonly { uniqueId: string; name: string }[],
): LineageAdditions {
  const byName = new Map(models.map((m) => [m.name, m.uniqueId]));
  return {
    nodes: dashboards.map((d) => ({
      id: d.name,
      name: d.name,
      resourceType: 'exposure' as const,
      tags: ['bi'],
      ...(d.description ? { description: d.description } : {}),
    })),
    edges: dashboards.flatMap((d) =>
      d.reads.flatMap((model) => {
        const uniqueId = byName.get(model);
        return uniqueId ? [{ source: uniqueId, target: d.name }] : [];
      }),
    ),
  };
}
