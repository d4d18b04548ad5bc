import { useState } from 'react';
import type { PluginSummary } from '../../shared/api.schema.ts';
import type { Installation } from '../../shared/installation.schema.ts';
import { CapabilityDiff } from './CapabilityDiff.tsx';
import {
  describeSource,
  useInstallations,
  usePendingActions,
  useUpdate,
  useUpdatePreview,
  type PackageSource,
} from './install-api.ts';
import { SourcePicker } from './SourcePicker.tsx';
import './marketplace.css';

/** A short, readable form of a checksum: its kind and first hex digits. */
function shortChecksum(checksum: string): string {
  const [kind, hex] = checksum.split(':');
  return `${kind}:${(hex ?? '').slice(0, 12)}…`;
}

/** An update staged until the admin approves its new capabilities; the installed version keeps running. */
function PendingUpdateBox({ plugin, installation }: { plugin: PluginSummary; installation: Installation }) {
  const pending = installation.pending!;
  const { approve, discard } = usePendingActions(plugin.name);
  const error = approve.error ?? discard.error;
  return (
    <div className="wb-review" data-testid="pending-update">
      <p>
        <strong>Update to v{pending.version} is waiting for your approval.</strong> v{installation.version} stays active
        until you approve it.
      </p>
      <CapabilityDiff diff={pending.diff} />
      <div className="wb-market-actions">
        <button
          type="button"
          className="wb-button wb-button-primary"
          disabled={approve.isPending || discard.isPending || !pending.diff.compatible}
          onClick={() => approve.mutate(pending.version)}
        >
          Approve and activate v{pending.version}
        </button>
        <button
          type="button"
          className="wb-button"
          disabled={approve.isPending || discard.isPending}
          onClick={() => discard.mutate()}
        >
          Discard update
        </button>
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
      {diff && <CapabilityDiff diff={diff} />}
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
            {diff.needsApproval.length > 0 ? `Stage v${diff.to.version} for approval` : `Update to v${diff.to.version}`}
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

function RemoveConfirm({ plugin, onCancel }: { plugin: PluginSummary; onCancel: () => void }) {
  const { remove } = usePendingActions(plugin.name);
  return (
    <div className="wb-market-panel wb-market-danger" data-testid="remove-confirm">
      <p>
        <strong>Remove {plugin.displayName ?? plugin.name}?</strong> Its files, kept versions, approvals, enablement
        rules and configuration are deleted. The audit log keeps its history.
      </p>
      <div className="wb-market-actions">
        <button
          type="button"
          className="wb-button wb-market-danger-button"
          disabled={remove.isPending}
          onClick={() => remove.mutate()}
        >
          {remove.isPending ? 'Removing…' : `Remove ${plugin.name}`}
        </button>
        <button type="button" className="wb-button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {remove.error && <p className="wb-form-error">{remove.error.message}</p>}
    </div>
  );
}

/** Inside a plugin's card: how it was installed, its pending update, and the update and remove actions. */
export function InstallControls({ plugin }: { plugin: PluginSummary }) {
  const installations = useInstallations();
  const [open, setOpen] = useState<'update' | 'remove' | undefined>();
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
      {installation?.pending && <PendingUpdateBox plugin={plugin} installation={installation} />}
      {open === 'update' && <UpdateForm plugin={plugin} onDone={() => setOpen(undefined)} />}
      {open === 'remove' && <RemoveConfirm plugin={plugin} onCancel={() => setOpen(undefined)} />}
      {open === undefined && (
        <div className="wb-market-actions">
          <button type="button" className="wb-button" onClick={() => setOpen('update')}>
            Update…
          </button>
          <button type="button" className="wb-button" onClick={() => setOpen('remove')}>
            Remove…
          </button>
        </div>
      )}
    </div>
  );
}
