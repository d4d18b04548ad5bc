import { useQuery } from '@tanstack/react-query';
import { defineSlotComponent, slots, type PluginPageProps } from '@dbt-workbench/plugin-sdk';
import { settingsOf } from './settings.ts';
import { qualityReport } from './wording.ts';

/** Every model below the team's pass-rate bar or without tests, worst first. */
function QualityReportPage({ sdk }: PluginPageProps) {
  const settings = settingsOf(sdk.config);
  const models = useQuery({ queryKey: ['models', sdk.workspace.name], queryFn: () => sdk.data.models() });
  const report = qualityReport(models.data?.items ?? [], settings.minPassRate);
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
      {models.data && report.rows.length > 0 && (
        <table className="wb-table" data-testid="quality-report">
          <thead>
            <tr>
              <th>Model</th>
              <th>Tests</th>
              <th>Pass rate</th>
            </tr>
          </thead>
          <tbody>
            {report.rows.map(({ model, rate, total, note }) => (
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
                <td>{rate === null ? <span className="wb-muted">{note}</span> : `${rate}%`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {models.data && report.verdict && <p data-testid="quality-verdict">{report.verdict}</p>}
    </section>
  );
}

export default defineSlotComponent(slots.page, QualityReportPage);
