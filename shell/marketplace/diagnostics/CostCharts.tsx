import { formatMs, formatSpan } from '../../../shared/plugin-health.ts';
import type { MetricsPoint } from '@dbt-workbench/plugin-sdk/contracts/plugin-metrics.schema';
import '../plugin-cost.css';
import { groupsOf, linePath, makeScale, peak, timeTicks, type ChartBox } from './chart-scale.ts';

interface Series {
  label: string;
  color: string;
  value(point: MetricsPoint): number | null;
  dashed?: boolean;
}

interface ChartSpec {
  title: string;
  /** Formats a value for the y axis, the legend and the hover titles. */
  format(value: number): string;
  series: Series[];
  /** Shades the area under the first series. */
  area?: boolean;
  /** Timings exist only for intervals where something was timed: the line bridges the others, dots mark each. */
  timings?: boolean;
}

const BOX: ChartBox = { width: 320, height: 128, left: 44, right: 8, top: 8, bottom: 20 };
const COLORS = { blue: '#2563eb', paleBlue: '#93b4f5', violet: '#7c3aed', red: '#b42318', amber: '#a15c07' };
const count = (n: number) => String(Math.round(n * 10) / 10);
/** The most marks a chart draws; a longer history is drawn in runs of points. */
const MARKS = 90;
/** A timing measured in at most this many marks gets a dot on each. */
const DOTS_UP_TO = 40;
const formatOrDash = (spec: ChartSpec, value: number | null) => (value === null ? '—' : spec.format(value));
const mb = (n: number) => `${n < 10 ? n.toFixed(1) : Math.round(n)} MB`;

const backendCharts: ChartSpec[] = [
  {
    title: 'Latency',
    format: formatMs,
    timings: true,
    series: [
      { label: 'p95', color: COLORS.blue, value: (p) => p.p95Ms },
      { label: 'p50', color: COLORS.paleBlue, value: (p) => p.p50Ms },
      { label: 'hooks p95', color: COLORS.violet, value: (p) => p.hookP95Ms, dashed: true },
    ],
  },
  {
    title: 'Calls per interval',
    format: count,
    area: true,
    series: [
      { label: 'calls', color: COLORS.blue, value: (p) => p.calls },
      { label: 'errors', color: COLORS.red, value: (p) => p.errors },
    ],
  },
  {
    title: 'Restarts',
    format: count,
    series: [{ label: 'restarts', color: COLORS.amber, value: (p) => p.restarts }],
  },
  {
    title: 'Memory',
    format: mb,
    area: true,
    series: [{ label: 'resident', color: '#157f3b', value: (p) => p.memoryMb }],
  },
];

const frontendCharts: ChartSpec[] = [
  {
    title: 'Module load time in browsers',
    format: formatMs,
    timings: true,
    series: [{ label: 'p95', color: '#0e7490', value: (p) => p.frontendLoadP95Ms }],
  },
  {
    title: 'Loads and errors in browsers',
    format: count,
    area: true,
    series: [
      { label: 'loads', color: '#0e7490', value: (p) => p.frontendLoads },
      { label: 'errors', color: COLORS.red, value: (p) => p.frontendErrors },
    ],
  },
];

const clock = (t: number, withSeconds: boolean) =>
  new Date(t).toLocaleTimeString([], {
    hourCycle: 'h23',
    hour: '2-digit',
    minute: '2-digit',
    ...(withSeconds ? { second: '2-digit' } : {}),
  });

/**
 * One small line chart of some figures of the history, with a time axis, its top value and a hover title per mark.
 * A long history is drawn as at most MARKS marks, each the highest value of its run of points.
 */
function CostChart({ spec, history }: { spec: ChartSpec; history: readonly MetricsPoint[] }) {
  const groups = groupsOf(history, MARKS);
  const times = groups.map((g) => Date.parse(g.at(-1)!.at));
  const t0 = times[0]!;
  const t1 = times.at(-1)!;
  const columns = spec.series.map((s) => groups.map((g) => peak(g.map(s.value))));
  const scale = makeScale(t0, t1, columns.flat(), BOX);
  // Three labels at most: a small chart has room for no more without them running into each other.
  const { step, ticks } = timeTicks(t0, t1, 3);
  const right = BOX.width - BOX.right;
  const bottom = BOX.height - BOX.bottom;
  const slot = times.length > 1 ? (scale.x(t1) - scale.x(t0)) / (times.length - 1) : right - BOX.left;
  const at = (column: readonly (number | null)[]) =>
    column.map((v, i) => ({ x: scale.x(times[i]!), y: v === null ? null : scale.y(v) }));
  const first = columns[0]!;
  const area =
    spec.area && first.every((v) => v !== null)
      ? `${linePath(at(first))} L${scale.x(t1)} ${bottom} L${scale.x(t0)} ${bottom} Z`
      : undefined;
  return (
    <figure className="wb-chart" data-testid="cost-chart" data-chart={spec.title}>
      <figcaption>
        <span className="wb-chart-title">{spec.title}</span>
        <span className="wb-chart-legend">
          {spec.series
            .filter((_, i) => columns[i]!.some((v) => v !== null))
            .map((s) => {
              // A timing shows the last one measured; a count the last interval's.
              const latest = spec.timings ? history.findLast((p) => s.value(p) !== null) : history.at(-1);
              const value = latest ? s.value(latest) : null;
              return (
                <span key={s.label} className="wb-chart-key">
                  <i
                    style={s.dashed ? { color: s.color } : { background: s.color }}
                    className={s.dashed ? 'wb-chart-key-dashed' : undefined}
                  />
                  {s.label} <b>{value === null ? '—' : spec.format(value)}</b>
                </span>
              );
            })}
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${BOX.width} ${BOX.height}`} role="img" aria-label={spec.title}>
        {[0, 0.5, 1].map((f) => (
          <line
            key={f}
            className={f === 0 ? 'wb-chart-axis' : 'wb-chart-grid'}
            x1={BOX.left}
            x2={right}
            y1={scale.y(f * scale.yMax)}
            y2={scale.y(f * scale.yMax)}
          />
        ))}
        <text className="wb-chart-label" x={BOX.left - 6} y={BOX.top + 4} textAnchor="end">
          {spec.format(scale.yMax)}
        </text>
        <text className="wb-chart-label" x={BOX.left - 6} y={bottom + 3} textAnchor="end">
          0
        </text>
        {ticks.map((t) => {
          const x = scale.x(t);
          // Labels near an edge lean inwards rather than spill over it.
          const anchor = x > right - 24 ? 'end' : x < BOX.left + 24 ? 'start' : 'middle';
          return (
            <text key={t} className="wb-chart-label" x={x} y={BOX.height - 5} textAnchor={anchor}>
              {clock(t, step < 60_000)}
            </text>
          );
        })}
        {area && <path d={area} fill={spec.series[0]!.color} className="wb-chart-area" />}
        {spec.series.map((s, i) => {
          const placed = at(columns[i]!);
          const measured = placed.filter((p): p is { x: number; y: number } => p.y !== null);
          const dots = spec.timings && measured.length <= DOTS_UP_TO ? measured : measured.slice(-1);
          return (
            <g key={s.label}>
              <path
                d={linePath(placed, spec.timings)}
                stroke={s.color}
                strokeDasharray={s.dashed ? '4 3' : undefined}
                className="wb-chart-line"
              />
              {dots.map((p, j) => (
                <circle key={j} cx={p.x} cy={p.y} r={j === dots.length - 1 ? 2.5 : 1.6} fill={s.color} />
              ))}
            </g>
          );
        })}
        {groups.map((group, i) => {
          const from = Math.max(BOX.left, scale.x(times[i]!) - slot / 2);
          const to = Math.min(right, scale.x(times[i]!) + slot / 2);
          const when =
            group.length === 1
              ? new Date(group[0]!.at).toLocaleTimeString()
              : `${new Date(group[0]!.at).toLocaleTimeString()} – ${new Date(group.at(-1)!.at).toLocaleTimeString()}, highest of ${group.length} points`;
          return (
            <rect
              key={group[0]!.at}
              className="wb-chart-slot"
              x={from}
              width={to - from}
              y={BOX.top}
              height={bottom - BOX.top}
            >
              <title>
                {[when, ...spec.series.map((s, j) => `${s.label}: ${formatOrDash(spec, columns[j]![i]!)}`)].join('\n')}
              </title>
            </rect>
          );
        })}
      </svg>
    </figure>
  );
}

/**
 * A plugin's cost over time from its history (`GET /api/plugins/:name/diagnostics`): backend latency, calls and
 * errors, restarts and memory when it has a backend, and what browsers reported of its frontend.
 */
export function CostCharts({
  history,
  intervalMs,
  backend,
}: {
  history: readonly MetricsPoint[];
  intervalMs: number | undefined;
  backend: boolean;
}) {
  if (history.length === 0)
    return (
      <p className="wb-muted wb-chart-empty" data-testid="cost-empty">
        {intervalMs
          ? `No figures yet — the first point comes after ${formatSpan(intervalMs)}.`
          : 'No figures: the cost history is off on this server.'}
      </p>
    );
  const span = Date.parse(history.at(-1)!.at) - Date.parse(history[0]!.at) + history[0]!.intervalMs;
  const perMark = groupsOf(history, MARKS)[0]!.length;
  return (
    <div data-testid="cost-charts">
      <p className="wb-muted wb-chart-span">
        The last {formatSpan(span)}, one point every {formatSpan(history[0]!.intervalMs)}
        {perMark > 1 ? `; each mark is the highest of ${perMark} points` : ''}. Hover a chart for the figures.
      </p>
      <div className="wb-chart-grid-layout">
        {[...(backend ? backendCharts : []), ...frontendCharts].map((spec) => (
          <CostChart key={spec.title} spec={spec} history={history} />
        ))}
      </div>
    </div>
  );
}
