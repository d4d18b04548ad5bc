import type { CatalogStatus } from '@dbt-workbench/plugin-sdk/contracts/catalog.schema';
import { timeAgo } from './format.ts';

/**
 * Says when the workspace's artifacts could not be (re)loaded: which file, what is wrong, since when, and that
 * the last good load is still shown. Renders nothing while everything is fine.
 */
export function ArtifactErrorBanner({ status }: { status: CatalogStatus | undefined }) {
  if (!status) return null;
  const warnings = Object.values(status.artifacts).flatMap((a) => a?.warnings ?? []);
  if (status.state === 'error') {
    return (
      <div className="wb-plugin-error" role="alert" data-testid="artifact-error">
        <strong>
          {status.loadedAt
            ? `The artifacts could not be reloaded; showing the last good load (${timeAgo(status.loadedAt)}).`
            : 'The artifacts could not be loaded.'}
        </strong>
        {status.errors.map((error) => (
          <div key={error.file}>
            <p>
              {error.message}{' '}
              <span className="wb-muted" title={error.at}>
                ({timeAgo(error.at)})
              </span>
            </p>
            {error.problems.length > 0 && (
              <details className="wb-error-details">
                <summary>{error.problems.length === 1 ? '1 problem' : `${error.problems.length} problems`}</summary>
                <pre>{error.problems.map((p) => `${p.field} [${p.rule}]: ${p.message}`).join('\n')}</pre>
              </details>
            )}
          </div>
        ))}
      </div>
    );
  }
  if (status.state === 'missing') {
    return (
      <div className="wb-cat-notice" role="status" data-testid="artifact-missing">
        <strong>No dbt artifacts yet.</strong> {status.message}
      </div>
    );
  }
  if (warnings.length > 0) {
    return (
      <div className="wb-cat-notice" role="status">
        {warnings.join(' ')}
      </div>
    );
  }
  return null;
}
