import { useQuery } from '@tanstack/react-query';
import { defineSlotComponent, slots, type DashboardWidgetProps } from '@dbt-workbench/plugin-sdk';

/**
 * Models, sources, tests and the last run (read-metadata), and since 1.1.0 the tables of the SQL workspace
 * (access-sql-workspace; the user must be a developer in the workspace).
 */
function PulseWidget({ sdk }: DashboardWidgetProps) {
  const summary = useQuery({ queryKey: ['pulse', sdk.workspace.name], queryFn: () => sdk.data.summary() });
  const tables = useQuery({
    queryKey: ['pulse-tables', sdk.workspace.name],
    queryFn: () => sdk.data.sql("select count(*) as tables from information_schema.tables where table_schema = 'main'"),
    retry: false,
  });
  if (summary.isPending) return <p className="wb-muted">Loading…</p>;
  if (summary.isError) return <p className="wb-muted">Could not read the catalog: {summary.error.message}</p>;
  const { counts, tests, lastRunAt } = summary.data;
  const failing = tests.fail + tests.error;
  return (
    <dl className="wb-facts" data-testid="project-pulse">
      <dt>Models</dt>
      <dd>{counts.model ?? 0}</dd>
      <dt>Sources</dt>
      <dd>{counts.source ?? 0}</dd>
      <dt>Tests</dt>
      <dd>{failing === 0 ? `${tests.pass} passing` : `${failing} failing of ${tests.pass + failing}`}</dd>
      <dt>Last run</dt>
      <dd>{lastRunAt ? new Date(lastRunAt).toLocaleString() : 'never'}</dd>
      <dt>SQL tables</dt>
      <dd>
        {tables.isPending ? '…' : tables.isError ? 'not available to you' : String(tables.data.rows[0]?.[0] ?? 0)}
      </dd>
    </dl>
  );
}

export default defineSlotComponent(slots.dashboardWidget, PulseWidget);
