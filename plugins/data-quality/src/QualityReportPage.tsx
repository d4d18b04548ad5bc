import { useQuery } from '@tanstack/react-query';
import { defineSlotComponent, slots, type PluginPageProps } from '@dbt-workbench/plugin-sdk';
import { settingsOf } from './settings.ts';

/** Every model below the team's pass-rate bar or without tests, worst first. */
function QualityReportPage({ sdk }: PluginPageProps) {
  const settings = settingsOf(sdk.config);
  const models = useQuery({ queryKey: ['models', sdk.workspace.name], queryFn: () => sdk.data.models() });
  const rows = (models.data?.items ?? [])
    .map((m) => {
      const ran = m.tests.pass + m.tests.fail + m.tests.warn + m.tests.error;
      const rate = ran === 0 ? null : Math.round((m.tests.pass / ran) * 100);
      return { model: m, rate, total: m.tests.total };
    })
    .filter((r) => r.total === 0 || (r.rate !== null && r.rate < settings.minPassRate))
    .sort((a, b) => (a.rate ?? -1) - (b.rate ?? -1));
  return (
    <section style={{ display: 'grid', gap: 16, maxWidth: 900 }}>
      <header>
        <h1 style={{ margin: 0, fontSize: 22 }}>Quality report</h1>
        <p className="wb-muted" style={{ margin: '4px 0 0' }}>
          Models of {sdk.workspace.title} without tests or passing fewer than {settings.minPassRate}% of them.
        </p>
      </header>
      {models.isPending && <p className="wb-muted">Loading…</p>}
      {models.isError && <p className="wb-plugin-error">Could not read the catalog: {models.error.message}</p>}
      {models.data && (
        <table className="wb-table" data-testid="quality-report">
          <thead>
            <tr>
              <th>Model</th>
              <th>Tests</th>
              <th>Pass rate</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ model, rate, total }) => (
              <tr key={model.uniqueId}>
                <td>
                  <button
                    type="button"
                    className="wb-link-button"
                    onClick={() => sdk.navigate(`/models/${encodeURIComponent(model.uniqueId)}`)}
                  >
                    {model.name}
                  </button>
                </td>
                <td>{total}</td>
                <td>
                  {rate === null ? (
                    <span className="wb-muted">{total === 0 ? 'no tests' : 'not run yet'}</span>
                  ) : (
                    `${rate}%`
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {models.data && rows.length === 0 && <p>Every model meets the bar.</p>}
    </section>
  );
}

export default defineSlotComponent(slots.page, QualityReportPage);
