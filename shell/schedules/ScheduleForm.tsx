import { Cron } from 'croner';
import { useMemo, useState, type FormEvent } from 'react';
import { cronProblem } from '@dbt-workbench/plugin-sdk/contracts/runs.schema';
import { formatDateTime } from '../runs/format.ts';
import { useCreateSchedule } from './queries.ts';

const timeZones = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')];

const examples = [
  ['0 6 * * *', 'every day at 06:00'],
  ['0 6 * * 1-5', 'weekdays at 06:00'],
  ['*/15 * * * *', 'every 15 minutes'],
  ['0 */30 * * * *', 'every 30 seconds (six fields: seconds first)'],
];

/** The next `count` fire times of a valid cron, in its time zone. */
function preview(cron: string, timezone: string, count = 3): string[] {
  const job = new Cron(cron, { paused: true, timezone });
  const dates = job.nextRuns(count);
  job.stop();
  return dates.map((d) => formatDateTime(d.toISOString(), timezone));
}

/** New schedule: name, cron, time zone; cron and time zone are checked as you type, with croner, as the server does. */
export function ScheduleForm({ workspace }: { workspace: string }) {
  const create = useCreateSchedule(workspace);
  const [name, setName] = useState('');
  const [cron, setCron] = useState('0 6 * * *');
  const [timezone, setTimezone] = useState('UTC');
  const [enabled, setEnabled] = useState(true);

  const problem = useMemo(
    () => (cron.trim() && timezone.trim() ? cronProblem(cron.trim(), timezone.trim()) : null),
    [cron, timezone],
  );
  const next = useMemo(
    () => (problem || !cron.trim() ? [] : preview(cron.trim(), timezone.trim())),
    [problem, cron, timezone],
  );

  /** Editing a field clears the server's last complaint; the live check speaks for the new value. */
  const edit = (set: (value: string) => void) => (value: string) => {
    set(value);
    if (create.isError) create.reset();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { name, cron, timezone, enabled },
      {
        onSuccess: () => {
          setName('');
          create.reset();
        },
      },
    );
  };

  return (
    <form className="wb-card wb-form" onSubmit={submit} aria-label="New schedule">
      <h2 className="wb-card-title">New schedule</h2>
      <div className="wb-form-row">
        <label>
          Name
          <input
            value={name}
            onChange={(e) => edit(setName)(e.target.value)}
            required
            maxLength={80}
            placeholder="nightly build"
          />
        </label>
        <label>
          Cron
          <input
            value={cron}
            onChange={(e) => edit(setCron)(e.target.value)}
            required
            className="wb-cron-input"
            aria-invalid={problem?.field === 'cron'}
            aria-describedby="wb-cron-help"
          />
        </label>
        <label>
          Time zone
          <input
            value={timezone}
            onChange={(e) => edit(setTimezone)(e.target.value)}
            list="wb-time-zones"
            required
            aria-invalid={problem?.field === 'timezone'}
          />
          <datalist id="wb-time-zones">
            {timeZones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </label>
        <label className="wb-checkbox">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          Enabled
        </label>
      </div>
      <div id="wb-cron-help" className="wb-cron-help">
        {problem ? (
          <p className="wb-form-error" data-testid="cron-problem">
            {problem.field === 'cron' ? 'Cron' : 'Time zone'}: {problem.message}
          </p>
        ) : (
          next.length > 0 && (
            <p className="wb-muted" data-testid="cron-preview">
              Next: {next.join(' · ')}
            </p>
          )
        )}
        <p className="wb-muted">
          Five fields: minute hour day-of-month month day-of-week. Examples:{' '}
          {examples.map(([pattern, meaning], i) => (
            <span key={pattern}>
              {i > 0 && ', '}
              <button type="button" className="wb-link-button" onClick={() => setCron(pattern!)}>
                <code>{pattern}</code>
              </button>{' '}
              {meaning}
            </span>
          ))}
          .
        </p>
      </div>
      {create.isError && (
        <p className="wb-form-error" role="alert">
          {create.error.message}
        </p>
      )}
      <div>
        <button type="submit" className="wb-button wb-button-primary" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create schedule'}
        </button>
      </div>
    </form>
  );
}
