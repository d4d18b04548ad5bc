import { defineSlotComponent, slots, type SqlPanelProps } from '@dbt-workbench/plugin-sdk';
import { barsOf } from './chart-data.ts';

const BAR_HEIGHT = 22;

function ResultChart({ result }: SqlPanelProps) {
  if (!result) return <p className="wb-muted">Run a query to chart its result.</p>;
  const chart = barsOf(result);
  if (!chart || chart.bars.length === 0) {
    return <p className="wb-muted">Nothing to chart: the result needs a label column and a numeric column.</p>;
  }
  const max = Math.max(...chart.bars.map((b) => Math.abs(b.value)), 1);
  return (
    <figure style={{ margin: 0 }} data-testid="sql-chart">
      <figcaption className="wb-muted" style={{ marginBottom: 8 }}>
        {chart.value} by {chart.label}
        {result.rows.length > chart.bars.length ? ` (first ${chart.bars.length} rows)` : ''}
      </figcaption>
      <svg
        width="100%"
        height={chart.bars.length * BAR_HEIGHT}
        role="img"
        aria-label={`${chart.value} by ${chart.label}`}
      >
        {chart.bars.map((bar, i) => (
          <g key={`${bar.label}-${i}`} transform={`translate(0, ${i * BAR_HEIGHT})`}>
            <text x="0" y="15" fontSize="12" fill="var(--wb-text)">
              {bar.label.length > 24 ? `${bar.label.slice(0, 23)}…` : bar.label}
            </text>
            <rect
              x="34%"
              y="4"
              height="14"
              rx="3"
              width={`${(Math.abs(bar.value) / max) * 56}%`}
              fill="var(--wb-accent)"
            />
            <text x="92%" y="15" fontSize="12" textAnchor="end" fill="var(--wb-text-muted)">
              {bar.value.toLocaleString('en-US')}
            </text>
          </g>
        ))}
      </svg>
    </figure>
  );
}

export default defineSlotComponent(slots.sqlPanel, ResultChart);
