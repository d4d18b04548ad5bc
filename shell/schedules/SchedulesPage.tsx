import { useState } from 'react';
import { Link } from 'react-router';
import type { Schedule } from '@dbt-workbench/plugin-sdk/contracts/runs.schema';
import { roleAllows } from '@dbt-workbench/plugin-sdk/contracts/roles';
import { formatDateTime, relativeTime } from '../runs/format.ts';
import { RunStatusBadge } from '../runs/RunStatusBadge.tsx';
import { useWorkspace, workspacePath } from '../workspaces/workspace-context.tsx';
import { useDeleteSchedule, useSchedules, useUpdateSchedule } from './queries.ts';
import { PluginTriggers } from './PluginTriggers.tsx';
import { ScheduleForm } from './ScheduleForm.tsx';
import './schedules.css';

function NextRun({ schedule }: { schedule: Schedule }) {
  if (!schedule.enabled) return <span className="wb-muted">disabled</span>;
  if (!schedule.nextRunAt) return <span className="wb-muted">never</span>;
  return (
    <span>
      {relativeTime(schedule.nextRunAt)}
      <span className="wb-muted wb-next-run-at">{formatDateTime(schedule.nextRunAt, schedule.timezone)}</span>
    </span>
  );
}

function ScheduleRow({ schedule, canEdit }: { schedule: Schedule; canEdit: boolean }) {
  const workspace = useWorkspace();
  const update = useUpdateSchedule(workspace.name);
  const remove = useDeleteSchedule(workspace.name);
  const [confirming, setConfirming] = useState(false);
  const error = update.error ?? remove.error;
  return (
    <tr data-testid="schedule-row">
      <td>
        <strong>{schedule.name}</strong>
        {error && (
          <p className="wb-form-error" role="alert">
            {error.message}
          </p>
        )}
      </td>
      <td>
        <code>{schedule.cron}</code>
      </td>
      <td>{schedule.timezone}</td>
      <td>
        <NextRun schedule={schedule} />
      </td>
      <td>
        {schedule.lastRun ? (
          <Link to={workspacePath(workspace.name, `runs/${schedule.lastRun.id}`)} className="wb-last-run">
            <RunStatusBadge status={schedule.lastRun.status} />
            <span className="wb-muted">{relativeTime(schedule.lastRun.createdAt)}</span>
          </Link>
        ) : (
          <span className="wb-muted">none yet</span>
        )}
      </td>
      <td>
        <label className="wb-toggle" title={canEdit ? undefined : 'Developers can turn schedules on and off'}>
          <input
            type="checkbox"
            checked={schedule.enabled}
            disabled={!canEdit || update.isPending}
            onChange={(e) => update.mutate({ id: schedule.id, enabled: e.target.checked })}
            aria-label={`Enable ${schedule.name}`}
          />
          <span>{schedule.enabled ? 'on' : 'off'}</span>
        </label>
      </td>
      {canEdit && (
        <td className="wb-schedule-actions">
          {confirming ? (
            <span className="wb-confirm">
              Delete?
              <button
                type="button"
                className="wb-button wb-button-danger"
                disabled={remove.isPending}
                onClick={() => remove.mutate(schedule.id)}
              >
                Delete
              </button>
              <button type="button" className="wb-button" onClick={() => setConfirming(false)}>
                Keep
              </button>
            </span>
          ) : (
            <button type="button" className="wb-button" onClick={() => setConfirming(true)}>
              Delete…
            </button>
          )}
        </td>
      )}
    </tr>
  );
}

/** Cron schedules of a workspace: each starts a run of the workspace's command when it fires. */
export function SchedulesPage() {
  const workspace = useWorkspace();
  const schedules = useSchedules(workspace.name);
  const canEdit = roleAllows(workspace.role, 'developer');
  return (
    <div className="wb-page">
      <header className="wb-page-header">
        <h1>Schedules</h1>
        <p className="wb-muted">Cron schedules that start a run of this workspace’s dbt command.</p>
      </header>
      {schedules.isPending && <div className="wb-loading">Loading schedules…</div>}
      {schedules.isError && (
        <div className="wb-plugin-error">Could not load the schedules: {schedules.error.message}</div>
      )}
      {schedules.data?.schedules.length === 0 && (
        <div className="wb-empty" data-testid="schedules-empty">
          <h2>No schedules yet</h2>
          <p className="wb-muted">
            {canEdit ? 'Create one below to run the project on a timetable.' : 'Developers can add schedules here.'}
          </p>
        </div>
      )}
      {schedules.data && schedules.data.schedules.length > 0 && (
        <table className="wb-table wb-schedules-table" data-testid="schedules-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Cron</th>
              <th>Time zone</th>
              <th>Next run</th>
              <th>Last run</th>
              <th>Enabled</th>
              {canEdit && <th aria-label="Actions" />}
            </tr>
          </thead>
          <tbody>
            {schedules.data.schedules.map((schedule) => (
              <ScheduleRow key={schedule.id} schedule={schedule} canEdit={canEdit} />
            ))}
          </tbody>
        </table>
      )}
      <PluginTriggers />
      {canEdit && <ScheduleForm workspace={workspace.name} />}
    </div>
  );
}
