// The bi-exposures backend: each configured dashboard becomes an exposure node of the workspace's lineage
// (`host.lineage.addNodes`), fed by the models it reads, found by name through the typed data API.
import type { BackendHost } from '@dbt-workbench/plugin-sdk';
import { exposuresOf, type Dashboard } from './exposures.ts';

export async function activate(host: BackendHost): Promise<void> {
  await host.lineage.addNodes(async ({ workspace }) => {
    const [{ dashboards }, models] = await Promise.all([
      host.config.get<{ dashboards: Dashboard[] }>({ workspace }),
      host.data.models(workspace),
    ]);
    return exposuresOf(dashboards, models.items);
  });
}
