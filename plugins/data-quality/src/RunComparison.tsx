import { useQuery } from '@tanstack/react-query';
import { defineSlotComponent, slots, type PageWidgetProps, type Run } from '@dbt-workbench/plugin-sdk';
import { median } from './quality.ts';

const seconds = (run: Run) =>
  run.startedAt && run.finishedAt ? (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000 : null;

/** This run's duration against the median of the workspace's recent successful runs. */
function RunComparison({ sdk, run }: PageWidgetProps) {
  const runs = useQuery({ queryKey: ['runs', sdk.workspace.name], queryFn: () => sdk.data.runs() });
  if (!run) return null;
  const own = seconds(run);
  if (own === null) return <p className="wb-muted">Comparison appears when the run has finished.</p>;
  if (!runs.data) return <p className="wb-muted">Loading recent runs…</p>;
  const recent = runs.data.runs
    .filter((r) => r.id !== run.id && r.status === 'success')
    .flatMap((r) => seconds(r) ?? []);
  if (recent.length === 0) return <p data-testid="run-comparison">The first successful run to compare others with.</p>;
  const typical = median(recent);
  const ratio = typical > 0 ? own / typical : 1;
  return (
    <p data-testid="run-comparison" style={{ margin: 0 }}>
      Took <strong>{own.toFixed(1)} s</strong>,{' '}
      {ratio > 1.2 ? 'slower than' : ratio < 0.8 ? 'faster than' : 'about as long as'} the median of the last{' '}
      {recent.length} successful runs ({typical.toFixed(1)} s).
    </p>
  );
}

export default defineSlotComponent(slots.pageWidget, RunComparison);
