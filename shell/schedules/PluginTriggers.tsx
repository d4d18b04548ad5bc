import { Link } from 'react-router';
import type { PluginTriggerView } from '../../shared/plugin-triggers.schema.ts';
import { relativeTime } from '../runs/format.ts';
import { useWorkspace, workspacePath } from '../workspaces/workspace-context.tsx';
import { usePluginTriggers } from './queries.ts';

/** When a trigger asks its plugin, in words. */
export function describeWhen(when: PluginTriggerView['when']): string {
  switch (when.kind) {
    case 'after-run':
      return `after a run of ${when.upstream} succeeds`;
    case 'source-stale':
      return `when ${when.source} is stale (checked every ${when.everySeconds} s)`;
    case 'webhook':
      return 'when its webhook is called';
  }
}

function Webhook({ webhook }: { webhook: NonNullable<PluginTriggerView['webhook']> }) {
  const command = [
    `curl -X POST ${window.location.origin}${webhook.url}`,
    `  -H 'x-workbench-trigger-token: ${webhook.token}'`,
    `  -H 'content-type: application/json' -d '{}'`,
  ].join(' \\\n');
  return (
    <details className="wb-trigger-webhook">
      <summary>Webhook URL and token</summary>
      <pre>{command}</pre>
      <p className="wb-muted">Anyone holding the token can call it: keep it as a secret of the system that calls it.</p>
    </details>
  );
}

/** The scheduler triggers plugins added to this workspace: what starts runs besides the cron schedules. */
export function PluginTriggers() {
  const workspace = useWorkspace();
  const triggers = usePluginTriggers(workspace.name);
  if (!triggers.data || triggers.data.triggers.length === 0) return null;
  return (
    <section className="wb-plugin-triggers" data-testid="plugin-triggers">
      <h2>Triggers from plugins</h2>
      <p className="wb-muted">
        Plugins start runs of this workspace when something happens; at most one run per trigger at a time, rate
        limited, and each start is in the audit log.
      </p>
      <table className="wb-table">
        <thead>
          <tr>
            <th>Trigger</th>
            <th>Plugin</th>
            <th>Starts a run</th>
            <th>Last run</th>
            <th>Skipped</th>
          </tr>
        </thead>
        <tbody>
          {triggers.data.triggers.map((trigger) => (
            <tr key={trigger.id} data-testid="plugin-trigger-row">
              <td>
                <strong>{trigger.title}</strong>
                {trigger.webhook && <Webhook webhook={trigger.webhook} />}
              </td>
              <td>
                <span className="wb-plugin-name">{trigger.plugin}</span>
              </td>
              <td>{describeWhen(trigger.when)}</td>
              <td>
                {trigger.lastRun ? (
                  <Link to={workspacePath(workspace.name, `runs/${trigger.lastRun.id}`)}>
                    {relativeTime(trigger.lastRun.at)}
                    {trigger.lastRun.reason && <span className="wb-muted"> · {trigger.lastRun.reason}</span>}
                  </Link>
                ) : (
                  <span className="wb-muted">none yet</span>
                )}
                {trigger.runsStarted > 1 && <span className="wb-muted"> ({trigger.runsStarted} runs)</span>}
              </td>
              <td>
                {trigger.lastSkip ? (
                  <span title={trigger.lastSkip.reason}>
                    {trigger.skipped} · <span className="wb-muted">{trigger.lastSkip.reason}</span>
                  </span>
                ) : (
                  <span className="wb-muted">0</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
