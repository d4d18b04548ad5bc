// The model-stewards backend: two tools (`steward_of` reads, `assign_steward` changes) and the route
// `GET /stewards/:model`, which answers what `steward_of` does (the bench compares the two paths).
import type { BackendHost, ToolCallContext } from '@dbt-workbench/plugin-sdk';
import { openStewardStore } from './store.ts';

interface StewardOf {
  model: string;
}
interface AssignSteward {
  model: string;
  steward: string;
}

export async function activate(host: BackendHost): Promise<void> {
  const store = openStewardStore(host.dataDir);
  const stewardOf = (workspace: string, model: string) => {
    const found = store.get(workspace, model);
    return { model, steward: found?.steward ?? null, since: found?.since ?? null };
  };

  await host.tools.register<StewardOf>('steward_of', ({ model }, context: ToolCallContext) =>
    stewardOf(context.workspace.name, model),
  );

  await host.tools.register<AssignSteward>('assign_steward', ({ model, steward }, context) => {
    const previous = store.set(context.workspace.name, model, {
      steward,
      since: new Date().toISOString(),
      assignedBy: context.user.username,
    });
    host.log.info('steward assigned', { model, steward, by: context.user.username, via: context.via });
    return { model, steward, previous: previous?.steward ?? null, assignedBy: context.user.username };
  });

  await host.routes.register('GET', '/stewards/:model', (request) => ({
    body: stewardOf(request.workspace.name, request.params.model!),
  }));
}
