import type { NodeDetail } from '@dbt-workbench/plugin-sdk';
import { qualityOf } from './quality.ts';
import type { QualitySettings } from './settings.ts';
import { columnsLine, testHeadline } from './wording.ts';

/** The quality summary shared by the model and the source panels. */
export function QualityView({
  node,
  kind,
  settings,
}: {
  node: NodeDetail;
  kind: 'model' | 'source';
  settings: QualitySettings;
}) {
  const q = qualityOf(node);
  const headline = testHeadline(q, settings.minPassRate);
  return (
    <div data-testid="quality-panel" style={{ display: 'grid', gap: 8 }}>
      <p style={{ margin: 0 }} data-testid="quality-headline">
        {headline.rate === null ? (
          <strong>{headline.text}</strong>
        ) : (
          <>
            <strong style={{ fontSize: 18 }}>{headline.rate}%</strong> {headline.text}
          </>
        )}
      </p>
      {headline.belowBar && (
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
      <p className="wb-muted" style={{ margin: 0, fontSize: 12.5 }} data-testid="quality-columns">
        {columnsLine(q, kind, settings.flagUndocumented)}
      </p>
    </div>
  );
}
