import { useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import {
  lineMatches,
  type PluginLogEvent,
  type PluginLogLevel,
  type PluginLogLine,
  type PluginLogQueryInput,
} from '../../../shared/plugin-logs.schema.ts';
import { getPluginLogs } from '../../../shared/http/plugin-operations.ts';
import { callApi } from '../../api/client.ts';
import { useDebounced } from '../../catalog/use-debounced.ts';
import './plugin-logs.css';

const LEVELS: { value: PluginLogLevel | ''; label: string }[] = [
  { value: '', label: 'All levels' },
  { value: 'info', label: 'Info and above' },
  { value: 'warn', label: 'Warnings and above' },
  { value: 'error', label: 'Errors' },
];
/** Time ranges in ms; 0 is all the time the server keeps. */
const RANGES: { value: number; label: string }[] = [
  { value: 15 * 60_000, label: 'Last 15 minutes' },
  { value: 3_600_000, label: 'Last hour' },
  { value: 86_400_000, label: 'Last day' },
  { value: 0, label: 'All kept' },
];
const PAGE = 100;
/** Lines kept from the live stream while the page is open. */
const LIVE_KEEP = 1000;

const levelTone: Record<PluginLogLevel, string> = { debug: 'neutral', info: 'info', warn: 'warn', error: 'bad' };

interface Filter {
  level: PluginLogLevel | '';
  q: string;
  rangeMs: number;
}

function pageQuery(filter: Filter, before: number | undefined): PluginLogQueryInput {
  return {
    limit: PAGE,
    ...(filter.level ? { level: filter.level } : {}),
    ...(filter.q ? { q: filter.q } : {}),
    ...(filter.rangeMs > 0 ? { since: new Date(Date.now() - filter.rangeMs).toISOString() } : {}),
    ...(before !== undefined ? { before } : {}),
  };
}

/** The plugin's lines as the server streams them while `on`, newest first, and its dropped count. */
function useLiveLines(name: string, on: boolean): { lines: PluginLogLine[]; dropped: number } {
  const [lines, setLines] = useState<PluginLogLine[]>([]);
  const [dropped, setDropped] = useState(0);
  useEffect(() => {
    if (!on) return;
    const stream = new EventSource(`/api/plugins/${encodeURIComponent(name)}/logs/stream`);
    const receive = (message: MessageEvent<string>) => {
      const event = JSON.parse(message.data) as PluginLogEvent;
      if (event.type === 'line') setLines((previous) => [event.line, ...previous].slice(0, LIVE_KEEP));
      else setDropped(event.dropped);
    };
    stream.addEventListener('line', receive);
    stream.addEventListener('dropped', receive);
    return () => stream.close();
  }, [name, on]);
  return { lines, dropped };
}

function dataText(data: Record<string, unknown>): string {
  const text = JSON.stringify(data);
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}

function LineRow({ line }: { line: PluginLogLine }) {
  const at = new Date(line.at);
  return (
    <tr data-testid="plugin-log-line" data-level={line.level} data-source={line.source} data-seq={line.seq}>
      <td className="wb-log-time" title={line.at}>
        {at.toLocaleDateString()} {at.toLocaleTimeString()}
      </td>
      <td>
        <span className={`wb-badge wb-badge-${levelTone[line.level]}`}>{line.level}</span>
      </td>
      <td className="wb-muted">{line.source}</td>
      <td className="wb-log-message">
        {line.message}
        {line.data && (
          <code className="wb-log-data" title={JSON.stringify(line.data, null, 2)}>
            {dataText(line.data)}
          </code>
        )}
      </td>
    </tr>
  );
}

/** Admin: a plugin's log (backend output and lifecycle decisions), filtered, paged, and followed live. */
export function PluginLogs({ name }: { name: string }) {
  const [level, setLevel] = useState<Filter['level']>('');
  const [search, setSearch] = useState('');
  const [rangeMs, setRangeMs] = useState(0);
  const [live, setLive] = useState(true);
  const q = useDebounced(search.trim(), 300);
  const filter: Filter = { level, q, rangeMs };
  const pages = useInfiniteQuery({
    queryKey: ['plugins', name, 'logs', filter],
    queryFn: ({ pageParam }) => callApi(getPluginLogs, { params: { name }, query: pageQuery(filter, pageParam) }),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => last.nextBefore ?? undefined,
  });
  const stream = useLiveLines(name, live);

  const fetched = pages.data?.pages.flatMap((p) => p.lines) ?? [];
  const newestFetched = pages.data?.pages[0]?.lines[0]?.seq ?? 0;
  const oldestShown = rangeMs > 0 ? Date.now() - rangeMs : 0;
  const arrived = stream.lines.filter(
    (l) =>
      l.seq > newestFetched &&
      Date.parse(l.at) >= oldestShown &&
      lineMatches(l, { ...(level ? { level } : {}), ...(q ? { q } : {}) }),
  );
  const lines = [...arrived, ...fetched];
  const dropped = Math.max(stream.dropped, pages.data?.pages[0]?.dropped ?? 0);
  const retention = pages.data?.pages[0]?.retention;

  const toggleLive = (on: boolean) => {
    setLive(on);
    // Lines written while the stream was closed are fetched again.
    if (on) void pages.refetch();
  };

  return (
    <div className="wb-plugin-logs" data-testid="plugin-logs">
      <div className="wb-form-row wb-log-filters">
        <label>
          Level
          <select
            data-testid="plugin-logs-level"
            value={level}
            onChange={(e) => setLevel(e.target.value as Filter['level'])}
          >
            {LEVELS.map((l) => (
              <option key={l.value} value={l.value}>
                {l.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Search
          <input
            type="search"
            data-testid="plugin-logs-search"
            placeholder="Text in the message or data"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </label>
        <label>
          Time
          <select data-testid="plugin-logs-range" value={rangeMs} onChange={(e) => setRangeMs(Number(e.target.value))}>
            {RANGES.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
        <label className="wb-log-live">
          <input
            type="checkbox"
            data-testid="plugin-logs-live"
            checked={live}
            onChange={(e) => toggleLive(e.target.checked)}
          />
          Live
        </label>
      </div>
      {dropped > 0 && (
        <p className="wb-log-dropped" data-testid="plugin-logs-dropped">
          {dropped.toLocaleString()} lines dropped
          {retention ? ` (over ${retention.linesPerSecond} lines per second)` : ''}
        </p>
      )}
      {pages.isPending && <p className="wb-loading">Loading the log…</p>}
      {pages.isError && <p className="wb-form-error">Could not read the log: {pages.error.message}</p>}
      {pages.isSuccess && lines.length === 0 && (
        <p className="wb-muted" data-testid="plugin-logs-empty">
          {level || q || rangeMs ? 'No line matches these filters.' : 'Nothing logged yet.'}
        </p>
      )}
      {lines.length > 0 && (
        <div className="wb-log-scroll">
          <table className="wb-table wb-log-table" aria-label="Log lines">
            <thead>
              <tr>
                <th>Time</th>
                <th>Level</th>
                <th>Source</th>
                <th>Message</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((line) => (
                <LineRow key={line.seq} line={line} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages.hasNextPage && (
        <button
          type="button"
          className="wb-button"
          data-testid="plugin-logs-older"
          disabled={pages.isFetchingNextPage}
          onClick={() => void pages.fetchNextPage()}
        >
          {pages.isFetchingNextPage ? 'Loading…' : 'Load older'}
        </button>
      )}
      {retention && (
        <p className="wb-muted wb-log-retention">
          Kept: the newest {Math.round(retention.maxBytes / 1024).toLocaleString()} KB, up to{' '}
          {Math.round(retention.maxAgeMs / 3_600_000)} hours.
        </p>
      )}
    </div>
  );
}
