import { Link } from 'react-router';
import type { PluginSummary } from '../../shared/api.schema.ts';
import { ApiError } from '../api/client.ts';
import { useMe } from '../auth/session.ts';
import { AccessList } from './AccessList.tsx';
import { ConfigForm } from './ConfigForm.tsx';
import { usePluginActions } from './plugin-actions.ts';
import { switchedOn } from './plugin-filters.ts';
import { UiTrustChoice } from './UiTrustChoice.tsx';

/**
 * Approve or reject a pending plugin after reviewing everything its version asks for; approving covers all of it.
 * A rejected version says who rejected it and can still be approved after all (or removed, below).
 */
function ApprovalReview({ plugin }: { plugin: PluginSummary }) {
  const actions = usePluginActions(plugin.name);
  const waiting = plugin.access.filter((e) => !e.approved).length;
  const version = plugin.version;
  const approve = (
    <button
      type="button"
      className="wb-button wb-button-primary"
      disabled={actions.pending}
      onClick={() => version && actions.approve(version)}
    >
      {plugin.rejected ? `Approve v${version} after all` : `Approve ${plugin.displayName} ${version}`}
    </button>
  );
  if (plugin.rejected) {
    return (
      <div className="wb-review wb-review-rejected" data-testid="approval-review">
        <p data-testid="rejected-note">
          <strong>Rejected by {plugin.rejected.by}</strong> on {new Date(plugin.rejected.at).toLocaleString()}. Version{' '}
          {version} stays on disk and never runs; a newer version will be shown here for review.
        </p>
        <details>
          <summary>
            What v{version} asks for ({plugin.access.length})
          </summary>
          <AccessList entries={plugin.access} tone="approval" />
        </details>
        <div className="wb-market-actions">{approve}</div>
        {actions.error && <p className="wb-form-error">{actions.error.message}</p>}
      </div>
    );
  }
  return (
    <div className="wb-review" data-testid="approval-review">
      <p>
        <strong>Review before approving.</strong> Version {version} asks for {plugin.access.length} thing
        {plugin.access.length === 1 ? '' : 's'}; {waiting} need{waiting === 1 ? 's' : ''} your approval. Approving
        grants everything listed, for this version only.
      </p>
      <AccessList entries={plugin.access} tone="approval" />
      <UiTrustChoice plugin={plugin} />
      <div className="wb-market-actions">
        {approve}
        <button
          type="button"
          className="wb-button"
          disabled={actions.pending}
          onClick={() => version && actions.reject(version)}
        >
          Reject v{version}
        </button>
      </div>
      {actions.error && <p className="wb-form-error">{actions.error.message}</p>}
    </div>
  );
}

type Rule = 'inherit' | 'on' | 'off';
const ruleOf = (value: boolean | undefined): Rule => (value === undefined ? 'inherit' : value ? 'on' : 'off');

/** The global switch and the per-workspace rules of one plugin. */
function EnablementControls({ plugin }: { plugin: PluginSummary }) {
  const actions = usePluginActions(plugin.name);
  const workspaces = useMe().data?.workspaces ?? [];
  const globallyOn = plugin.enablement.global !== false;
  return (
    <div className="wb-enablement" data-testid="enablement">
      <label className="wb-switch">
        <input
          type="checkbox"
          checked={globallyOn}
          disabled={actions.pending}
          onChange={(e) => actions.setDefault(e.target.checked)}
        />
        Enabled by default in every workspace
      </label>
      <div className="wb-workspace-rules">
        {workspaces.map((w) => (
          <label key={w.name}>
            {w.title}
            <select
              aria-label={`Enablement in ${w.title}`}
              value={ruleOf(plugin.enablement.workspaces[w.name])}
              disabled={actions.pending}
              onChange={(e) => {
                const value = e.target.value as Rule;
                actions.setWorkspace(w.name, value === 'inherit' ? null : value === 'on');
              }}
            >
              <option value="inherit">inherit ({globallyOn ? 'on' : 'off'})</option>
              <option value="on">on</option>
              <option value="off">off</option>
            </select>
          </label>
        ))}
      </div>
      {actions.error && <p className="wb-form-error">{actions.error.message}</p>}
      {actions.error instanceof ApiError && actions.error.code === 'conflict' && globallyOn && (
        <button type="button" className="wb-button" onClick={() => actions.setDefault(false, true)}>
          Turn the default off anyway
        </button>
      )}
    </div>
  );
}

/** What an admin can do with a plugin in its current state. */
export function PluginControls({ plugin }: { plugin: PluginSummary }) {
  if (plugin.state === 'pending-approval') return <ApprovalReview plugin={plugin} />;
  const configure = (
    <>
      {plugin.configurable && plugin.state !== 'invalid' && (
        <details className="wb-config">
          <summary>Configure</summary>
          <ConfigForm name={plugin.name} />
        </details>
      )}
      {plugin.version && (
        <Link to={`/admin/plugins/${encodeURIComponent(plugin.name)}`} className="wb-diagnostics-link">
          Diagnostics and logs →
        </Link>
      )}
    </>
  );
  if (plugin.state === 'active' || plugin.state === 'disabled' || switchedOn(plugin)) {
    return (
      <>
        <EnablementControls plugin={plugin} />
        <UiTrustChoice plugin={plugin} />
        {configure}
      </>
    );
  }
  return configure;
}
