import { useLayoutEffect, useRef, useState } from 'react';
import { isActiveRun } from '@dbt-workbench/plugin-sdk/contracts/runs.schema';
import { useRunLog } from './queries.ts';

/** A run's output in a monospace pane that polls while the run is active and follows the end unless scrolled up. */
export function LogViewer({ workspace, runId }: { workspace: string; runId: string }) {
  const log = useRunLog(workspace, runId);
  const pane = useRef<HTMLPreElement>(null);
  const [follow, setFollow] = useState(true);

  useLayoutEffect(() => {
    const el = pane.current;
    if (el && follow) el.scrollTop = el.scrollHeight;
  }, [log.chunks, follow]);

  const onScroll = () => {
    const el = pane.current;
    if (el) setFollow(el.scrollHeight - el.scrollTop - el.clientHeight < 24);
  };
  const active = log.status !== null && isActiveRun(log.status);
  const lines = log.chunks.reduce((n, c) => n + c.text.split('\n').length - 1, 0);

  return (
    <section className="wb-card wb-log-card">
      <div className="wb-log-head">
        <h2 className="wb-card-title">Log</h2>
        <span className="wb-muted">
          {lines} line{lines === 1 ? '' : 's'}
          {active && ' · live'}
        </span>
        {!follow && (
          <button type="button" className="wb-link-button" onClick={() => setFollow(true)}>
            Follow the end
          </button>
        )}
      </div>
      {log.error && <div className="wb-plugin-error">Could not read the log: {log.error}. Retrying…</div>}
      {log.status === null && !log.error && <div className="wb-loading">Loading the log…</div>}
      {log.status !== null && log.chunks.length === 0 && (
        <div className="wb-muted wb-log-empty">
          {log.status === 'queued'
            ? 'Waiting for the run to start…'
            : active
              ? 'Waiting for output…'
              : 'This run wrote no output.'}
        </div>
      )}
      {log.chunks.length > 0 && (
        <pre className="wb-log" ref={pane} onScroll={onScroll} data-testid="run-log" aria-live="off">
          {log.chunks.map((chunk) => (
            <span key={chunk.seq} className={`wb-log-${chunk.stream}`}>
              {chunk.text}
            </span>
          ))}
          {active && <span className="wb-log-cursor" aria-hidden="true" />}
        </pre>
      )}
    </section>
  );
}
