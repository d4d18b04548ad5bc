import { useQuery } from '@tanstack/react-query';
import { defineSlotComponent, slots, type DashboardWidgetProps } from '@dbt-workbench/plugin-sdk';
import { noFailuresLine } from './wording.ts';

/** The models whose tests fail or error, worst first, with a link to the full report; or what the last run shows. */
function FailingModelsWidget({ sdk }: DashboardWidgetProps) {
  const models = useQuery({
    queryKey: ['models', sdk.workspace.name],
    queryFn: () => sdk.data.models({ resourceType: 'all' }),
  });
  if (models.isPending) return <p className="wb-muted">Loading…</p>;
  if (models.isError) return <p className="wb-muted">Could not read the catalog: {models.error.message}</p>;
  const failing = models.data.items
    .map((m) => ({ model: m, failures: m.tests.fail + m.tests.error }))
    .filter((f) => f.failures > 0)
    .sort((a, b) => b.failures - a.failures);
  return (
    <div>
      {failing.length === 0 ? (
        <p data-testid="failing-models">{noFailuresLine(models.data.items)}</p>
      ) : (
        <ul data-testid="failing-models" style={{ margin: '0 0 8px', paddingLeft: 18 }}>
          {failing.slice(0, 6).map(({ model, failures }) => (
            <li key={model.uniqueId}>
              <button
                type="button"
                className="wb-link-button"
                onClick={() => sdk.navigate(`/nodes/${encodeURIComponent(model.uniqueId)}`)}
              >
                {model.name}
              </button>{' '}
              <span className="wb-muted">
                {failures} failing test{failures === 1 ? '' : 's'}
              </span>
            </li>
          ))}
        </ul>
      )}
      <button type="button" className="wb-link-button" onClick={() => sdk.navigate('/ext/quality-report')}>
        Full quality report →
      </button>
    </div>
  );
}

export default defineSlotComponent(slots.dashboardWidget, FailingModelsWidget);
