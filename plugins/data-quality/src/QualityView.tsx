import type { NodeDetail } from '@dbt-workbench/plugin-sdk';
import { qualityOf } from './quality.ts';
import type { QualitySettings } from './settings.ts';

const list = (names: string[]) =>
  names.length > 4 ? `${names.slice(0, 4).join(', ')} and ${names.length - 4} more` : names.join(', ');

/** The quality summary shared by the model and the source panels. */
export function QualityView({ node, settings }: { node: NodeDetail; settings: QualitySettings }) {
  const q = qualityOf(node);
  const score = q.tests === 0 ? null : Math.round((q.passing / q.tests) * 100);
  return (
    <div data-testid="quality-panel" style={{ display: 'grid', gap: 8 }}>
      <p style={{ margin: 0 }}>
        {score === null ? (
          <strong>No tests yet.</strong>
        ) : (
          <>
            <strong style={{ fontSize: 18 }}>{score}%</strong> of {q.tests} tests pass
            {q.notRun > 0 ? `, ${q.notRun} not run yet` : ''}.
          </>
        )}
      </p>
      {score !== null && score < settings.minPassRate && (
        <p data-testid="below-bar" style={{ margin: 0, color: 'var(--wb-warn)' }}>
          Below the team's bar of {settings.minPassRate}%.
        </p>
      )}
      {q.failing.length > 0 && (
        <ul style={{ margin: 0, paddingLeft: 18, color: 'var(--wb-bad)' }}>
          {q.failing.map((f) => (
            <li key={`${f.name}-${f.column}`}>
              {f.name}
              {f.column ? ` on ${f.column}` : ''}: {f.status}
            </li>
          ))}
        </ul>
      )}
      <p className="wb-muted" style={{ margin: 0, fontSize: 12.5 }}>
        {q.untestedColumns.length === 0
          ? 'Every column has a test.'
          : `Columns without tests: ${list(q.untestedColumns)}.`}{' '}
        {!settings.flagUndocumented
          ? ''
          : q.undocumentedColumns.length === 0
            ? 'Every column is documented.'
            : `Undocumented: ${list(q.undocumentedColumns)}.`}
      </p>
    </div>
  );
}
