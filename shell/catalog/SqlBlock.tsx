import { useState } from 'react';

/** Compiled and raw SQL in a monospace block with line numbers, and a toggle between them. */
export function SqlBlock({ compiled, raw }: { compiled: string | null; raw: string | null }) {
  const [show, setShow] = useState<'compiled' | 'raw'>(compiled ? 'compiled' : 'raw');
  const [copied, setCopied] = useState(false);
  if (!compiled && !raw) return <p className="wb-muted">This node has no SQL.</p>;
  const text = ((show === 'compiled' ? compiled : raw) ?? '').replace(/^\s*\n/, '').replace(/\s+$/, '');
  const lines = text.split('\n');
  const copy = () => {
    void navigator.clipboard?.writeText(text).then(() => {
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    });
  };
  return (
    <div className="wb-cat-sql" data-testid="sql-block">
      <div className="wb-cat-sql-bar">
        <div className="wb-cat-toggle" role="group" aria-label="Which SQL">
          <button
            type="button"
            aria-pressed={show === 'compiled'}
            disabled={!compiled}
            title={compiled ? undefined : 'Not compiled yet: run dbt compile'}
            onClick={() => setShow('compiled')}
          >
            Compiled
          </button>
          <button type="button" aria-pressed={show === 'raw'} disabled={!raw} onClick={() => setShow('raw')}>
            Raw
          </button>
        </div>
        <span className="wb-muted">{lines.length} lines</span>
        <button type="button" className="wb-link-button" onClick={copy}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <pre className="wb-cat-code" aria-label={`${show} SQL`} tabIndex={0}>
        <code>
          {lines.map((line, i) => (
            <span key={i} className="wb-cat-line">
              {line || ' '}
              {'\n'}
            </span>
          ))}
        </code>
      </pre>
    </div>
  );
}
