import { useState } from 'react';
import type { PluginSummary } from '../../shared/api.schema.ts';
import type { Installation } from '../../shared/installation.schema.ts';
import { UpdateDiffView } from './UpdateDiffView.tsx';
import {
  describeSource,
  useDependants,
  useInstallations,
  usePendingActions,
  useVersionActions,
  useVersions,
  useUpdate,
  useUpdatePreview,
  type PackageSource,
} from './install-api.ts';
import { SourcePicker } from './SourcePicker.tsx';
import { switchedOn } from './plugin-filters.ts';
import './marketplace.css';

/** A short, readable form of a checksum: its kind and first hex digits. */
function shortChecksum(checksum: string): string {
  const [kind, hex] = checksum.split(':');
  return `${kind}:${(hex ?? '').slice(0, 12)}…`;
}

/**
 * A new version waiting until the admin approves what it adds (an update staged by the installer, or a newer build
 * found in the plugin's folder); the installed version keeps running meanwhile.
 */
function PendingUpdateBox({ plugin, installation }: { plugin: PluginSummary; installation: Installation }) {
  const pending = installation.pending!;
  const { approve, discard, reject } = usePendingActions(plugin.name);
  const inFolder = pending.source === 'folder';
  const busy = approve.isPending || discard.isPending || reject.isPending;
  const error = approve.error ?? discard.error ?? reject.error;
  return (
    <div className="wb-review" data-testid="pending-update" data-version={pending.version}>
      <p>
        <strong>
          {inFolder ? `Version ${pending.version}, found in the plugin's folder,` : `Update to v${pending.version}`}{' '}
          {pending.rejected ? 'was rejected' : 'is waiting for your approval'}.
        </strong>{' '}
        v{installation.version} {pending.rejected ? 'keeps running' : 'stays active until you approve it'}.
      </p>
      {pending.rejected && (
        <p className="wb-muted" data-testid="rejected-note">
          Rejected by {pending.rejected.by} on {new Date(pending.rejected.at).toLocaleString()}. It stays on disk; a
          newer version will be shown here for review.
        </p>
      )}
      <UpdateDiffView diff={pending.diff} />
      <div className="wb-market-actions">
        <button
          type="button"
          className="wb-button wb-button-primary"
          disabled={busy || !pending.diff.compatible}
          onClick={() => approve.mutate(pending.version)}
        >
          {pending.rejected ? `Approve v${pending.version} after all` : `Approve and activate v${pending.version}`}
        </button>
        {inFolder ? (
          !pending.rejected && (
            <button type="button" className="wb-button" disabled={busy} onClick={() => reject.mutate(pending.version)}>
              Reject v{pending.version}
            </button>
          )
        ) : (
          <button type="button" className="wb-button" disabled={busy} onClick={() => discard.mutate()}>
            Discard update
          </button>
        )}
      </div>
      {error && <p className="wb-form-error">{error.message}</p>}
    </div>
  );
}

/** Update from a zip, a server path or git: preview the diff, then confirm. */
function UpdateForm({ plugin, onDone }: { plugin: PluginSummary; onDone: () => void }) {
  const [source, setSource] = useState<PackageSource | undefined>();
  const preview = useUpdatePreview();
  const update = useUpdate();
  const diff = preview.data?.diff;
  return (
    <div className="wb-market-panel" data-testid="update-form">
      <p>
        <strong>Update {plugin.displayName ?? plugin.name}</strong> from a new package. You see what changes before
        anything is replaced.
      </p>
      <SourcePicker
        onChange={(next) => {
          setSource(next);
          preview.reset();
          update.reset();
        }}
      />
      {diff && <UpdateDiffView diff={diff} />}
      <div className="wb-market-actions">
        {!diff ? (
          <button
            type="button"
            className="wb-button wb-button-primary"
            disabled={!source || preview.isPending}
            onClick={() => source && preview.mutate({ name: plugin.name, source })}
          >
            {preview.isPending ? 'Reading the package…' : 'Preview update'}
          </button>
        ) : (
          <button
            type="button"
            className="wb-button wb-button-primary"
            disabled={!source || update.isPending || !diff.compatible || diff.change === 'same'}
            onClick={() => source && update.mutate({ name: plugin.name, source }, { onSuccess: onDone })}
          >
            {diff.access.needsApproval.length > 0
              ? `Stage v${diff.to.version} for approval`
              : `Update to v${diff.to.version}`}
          </button>
        )}
        <button type="button" className="wb-button" onClick={onDone}>
          Cancel
        </button>
      </div>
      {(preview.error ?? update.error) && (
        <p className="wb-form-error">
          {source ? `${describeSource(source)}: ` : ''}
          {(preview.error ?? update.error)!.message}
        </p>
      )}
    </div>
  );
}

/** The plugins that stop working without this one, shown before a remove or disable is confirmed. */
function DependantsNote({ name }: { name: string }) {
  const dependants = useDependants(name, true);
  if (dependants.isPending) return <p className="wb-loading">Checking which plugins depend on {name}…</p>;
  if (dependants.isError) {
    return <p className="wb-form-error">Could not check which plugins depend on it: {dependants.error.message}</p>;
  }
  const list = dependants.data.dependants;
  if (list.length === 0) return <p className="wb-muted">No other installed plugin depends on it.</p>;
  return (
    <div data-testid="dependants">
      <p>
        <strong>
          {list.length === 1 ? '1 plugin depends' : `${list.length} plugins depend`} on it and will go inactive
        </strong>{' '}
        until it is back:
      </p>
      <ul>
        {list.map((d) => (
          <li key={d.name}>
            {d.name}{' '}
            <span className="wb-muted">
              (needs {d.range}, now {d.state})
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function RemoveConfirm({
  plugin,
  mode,
  onCancel,
}: {
  plugin: PluginSummary;
  mode: 'remove' | 'disable';
  onCancel: () => void;
}) {
  const actions = useVersionActions(plugin.name);
  const action = mode === 'remove' ? actions.remove : actions.disable;
  return (
    <div className="wb-market-panel wb-market-danger" data-testid={`${mode}-confirm`}>
      {mode === 'remove' ? (
        <p>
          <strong>Remove {plugin.displayName ?? plugin.name}?</strong> Its files, kept versions, approvals, enablement
          rules and configuration are deleted. The audit log keeps its history.
        </p>
      ) : (
        <p>
          <strong>Disable {plugin.displayName ?? plugin.name} everywhere?</strong> Its files and settings stay; enable
          it again at any time.
        </p>
      )}
      <DependantsNote name={plugin.name} />
      <div className="wb-market-actions">
        <button
          type="button"
          className="wb-button wb-market-danger-button"
          disabled={action.isPending}
          onClick={() => action.mutate(undefined, { onSuccess: onCancel })}
        >
          {action.isPending ? 'Working…' : `${mode === 'remove' ? 'Remove' : 'Disable'} ${plugin.name}`}
        </button>
        <button type="button" className="wb-button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {action.error && <p className="wb-form-error">{action.error.message}</p>}
    </div>
  );
}

/**
 * The kept versions and the pin: roll back to one (offered only when one is kept), or pin the running version
 * against updates (not while it waits for its first approval: there is nothing running to pin).
 */
function VersionsBox({
  plugin,
  rollbackOpen,
  onRollback,
  onClose,
}: {
  plugin: PluginSummary;
  rollbackOpen: boolean;
  onRollback: () => void;
  onClose: () => void;
}) {
  const versions = useVersions(plugin.name);
  const { rollback, pin } = useVersionActions(plugin.name);
  const [target, setTarget] = useState<string>('');
  if (versions.isPending) return <p className="wb-loading">Reading kept versions…</p>;
  if (versions.isError) return <p className="wb-form-error">Could not read kept versions: {versions.error.message}</p>;
  const { kept, pin: pinned, previous } = versions.data;
  const chosen = target || previous || kept[0] || '';
  const error = rollback.error ?? pin.error;
  return (
    <div data-testid="versions">
      <p className="wb-muted wb-market-provenance">
        {pinned ? (
          <span
            className="wb-badge wb-badge-warn"
            title={`Pinned by ${pinned.by ?? 'an admin'} on ${pinned.at.slice(0, 10)}`}
          >
            Pinned{pinned.version ? ` at v${pinned.version}` : ''}
          </span>
        ) : null}{' '}
        {kept.length === 0 ? 'No previous version kept' : `Kept for rollback: ${kept.map((v) => `v${v}`).join(', ')}`}
      </p>
      {rollbackOpen && (
        <div className="wb-market-panel" data-testid="rollback-form">
          {kept.length === 0 ? (
            <p className="wb-empty">Nothing to roll back to: no previous version of {plugin.name} is kept.</p>
          ) : (
            <>
              <label>
                Roll back to{' '}
                <select value={chosen} onChange={(e) => setTarget(e.target.value)}>
                  {kept.map((v) => (
                    <option key={v} value={v}>
                      v{v}
                      {v === previous ? ' (replaced by the last update)' : ''}
                    </option>
                  ))}
                </select>
              </label>
              <p className="wb-muted">
                v{versions.data.current} is kept in turn. The version runs with the approvals it had before.
              </p>
            </>
          )}
          <div className="wb-market-actions">
            {kept.length > 0 && (
              <button
                type="button"
                className="wb-button wb-button-primary"
                disabled={!chosen || rollback.isPending || pinned !== null}
                title={pinned ? 'Unpin it first' : undefined}
                onClick={() => rollback.mutate(chosen, { onSuccess: onClose })}
              >
                {rollback.isPending ? 'Rolling back…' : `Roll back to v${chosen}`}
              </button>
            )}
            <button type="button" className="wb-button" onClick={onClose}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {!rollbackOpen && (kept.length > 0 || pinned || plugin.state !== 'pending-approval') && (
        <div className="wb-market-actions">
          {kept.length > 0 && (
            <button type="button" className="wb-button" onClick={onRollback}>
              Roll back…
            </button>
          )}
          {(pinned || plugin.state !== 'pending-approval') && (
            <button
              type="button"
              className="wb-button"
              disabled={pin.isPending}
              onClick={() => pin.mutate(pinned === null)}
            >
              {pinned ? 'Unpin' : 'Pin this version'}
            </button>
          )}
        </div>
      )}
      {error && <p className="wb-form-error">{error.message}</p>}
    </div>
  );
}

/** Inside a plugin's card: how it was installed, its pending update, and the update and remove actions. */
export function InstallControls({ plugin }: { plugin: PluginSummary }) {
  const installations = useInstallations();
  const [open, setOpen] = useState<'update' | 'remove' | 'disable' | 'rollback' | undefined>();
  const installation = installations.data?.installations.find((i) => i.name === plugin.name);
  return (
    <div className="wb-market-install" data-testid="install-controls">
      {installations.isError && (
        <p className="wb-form-error">Could not read how plugins were installed: {installations.error.message}</p>
      )}
      {installation && (
        <p className="wb-muted wb-market-provenance">
          {installation.source === 'folder' ? 'Placed in the plugins folder by hand' : `From ${installation.source}`}
          {installation.checksum && (
            <>
              {' '}
              · <code title={installation.checksum}>{shortChecksum(installation.checksum)}</code>
            </>
          )}
          {installation.previousVersion && (
            <>
              {' '}
              · replaced v{installation.previousVersion}
              {installation.previousKept ? ' (kept for rollback)' : ''}
            </>
          )}
        </p>
      )}
      {installation?.packageProblem && (
        <p className="wb-form-error" role="alert">
          This server keeps serving v{installation.version}: {installation.packageProblem}. It tries again at the next
          change or restart.
        </p>
      )}
      {installation?.pending && <PendingUpdateBox plugin={plugin} installation={installation} />}
      {open === 'update' && <UpdateForm plugin={plugin} onDone={() => setOpen(undefined)} />}
      {installation && open !== 'update' && open !== 'remove' && open !== 'disable' && (
        <VersionsBox
          plugin={plugin}
          rollbackOpen={open === 'rollback'}
          onRollback={() => setOpen('rollback')}
          onClose={() => setOpen(undefined)}
        />
      )}
      {(open === 'remove' || open === 'disable') && (
        <RemoveConfirm plugin={plugin} mode={open} onCancel={() => setOpen(undefined)} />
      )}
      {open === undefined && (
        <div className="wb-market-actions">
          <button type="button" className="wb-button" onClick={() => setOpen('update')}>
            Update…
          </button>
          {switchedOn(plugin) && (
            <button type="button" className="wb-button" onClick={() => setOpen('disable')}>
              Disable everywhere…
            </button>
          )}
          <button type="button" className="wb-button" onClick={() => setOpen('remove')}>
            Remove…
          </button>
        </div>
      )}
    </div>
  );
}
