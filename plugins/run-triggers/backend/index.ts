// The run-triggers backend: for each workspace it is enabled in, scheduler triggers that start runs there
//   deploy       a webhook (its URL and token are on the Schedules page) for a body whose "ref" is the deploy branch
//   after-<ws>   after a run of the workspace named in `after` succeeded
//   stale-<seed> every `checkEverySeconds`, when the seed's newest `staleColumn` is older than `maxAgeDays`
// Each workspace's configuration is its own (`host.config.get({ workspace })`).
import type { BackendHost } from '@dbt-workbench/plugin-sdk';
import { deployDecision, staleDecision, type Settings } from './rules.ts';

/** A SQL identifier in double quotes. */
const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

export async function activate(host: BackendHost): Promise<void> {
  const settingsOf = (workspace: string) => host.config.get<Settings>({ workspace });

  for (const { name: workspace } of host.workspaces) {
    const settings = await settingsOf(workspace);
    await host.schedules.addTrigger(
      { name: 'deploy', title: 'Deploy webhook', workspace, when: { kind: 'webhook' } },
      async ({ body }) => deployDecision(body, (await settingsOf(workspace)).branch),
    );
    if (settings.after && settings.after !== workspace) {
      await host.schedules.addTrigger(
        {
          name: `after-${settings.after}`,
          title: `After ${settings.after} succeeds`,
          workspace,
          when: { kind: 'after-run', upstream: settings.after },
        },
        ({ upstreamRun }) => ({
          run: true,
          reason: `run ${String(upstreamRun?.id).slice(0, 8)} of ${settings.after} succeeded`,
        }),
      );
    }
    if (settings.staleSeed) {
      const { staleSeed, staleColumn } = settings;
      await host.schedules.addTrigger(
        {
          name: `stale-${staleSeed.toLowerCase().replaceAll(/[^a-z0-9-]/g, '-')}`.slice(0, 63),
          title: `When ${staleSeed} is stale`,
          workspace,
          when: { kind: 'source-stale', source: staleSeed, everySeconds: settings.checkEverySeconds },
        },
        async () => {
          const result = await host.sql.query(
            workspace,
            `SELECT CAST(max(${quoted(staleColumn)}) AS VARCHAR) FROM ${quoted(staleSeed)}`,
          );
          const newest = result.rows[0]?.[0];
          return staleDecision(
            staleSeed,
            typeof newest === 'string' ? newest : null,
            (await settingsOf(workspace)).maxAgeDays,
            new Date(),
          );
        },
      );
    }
  }
}
