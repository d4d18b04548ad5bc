import { useEffect } from 'react';
import { Link } from 'react-router';
import type { MarketplaceEntry } from '../../shared/installation.schema.ts';
import { AccessRequest } from './AccessList.tsx';
import { UpdateDiffView } from './UpdateDiffView.tsx';
import { useInstall, useUpdate, useUpdatePreview, type PackageSource } from './install-api.ts';
import { StateBadge } from './StateBadge.tsx';

/** Install: everything it will ask for, from the catalog's copy of its manifest, confirmed before any download. */
export function InstallConfirm({
  entry,
  version,
  onClose,
}: {
  entry: MarketplaceEntry;
  version: string;
  onClose: () => void;
}) {
  const install = useInstall();
  const chosen = entry.versions.find((v) => v.version === version) ?? entry.versions[0]!;
  if (install.isSuccess) {
    const plugin = install.data.plugin;
    return (
      <div className="wb-market-panel wb-market-done" data-testid="install-done">
        <p>
          Installed {plugin.displayName} v{plugin.version}: <StateBadge state={plugin.state} />
        </p>
        {plugin.state === 'pending-approval' && (
          <p>
            It waits for your approval of what it asks for on the <Link to="/admin/plugins">Plugins page</Link>.
          </p>
        )}
        {install.data.warnings.map((w) => (
          <p key={w} className="wb-muted">
            Note: {w}
          </p>
        ))}
        <button type="button" className="wb-button" onClick={onClose}>
          Close
        </button>
      </div>
    );
  }
  return (
    <div className="wb-market-panel" data-testid="install-confirm">
      <p>
        <strong>
          Install {entry.displayName} v{chosen.version}?
        </strong>
      </p>
      <AccessRequest entries={chosen.access} />
      {chosen.warnings.map((w) => (
        <p key={w} className="wb-reason">
          {w}
        </p>
      ))}
      <div className="wb-market-actions">
        <button
          type="button"
          className="wb-button wb-button-primary"
          disabled={install.isPending}
          onClick={() => install.mutate({ marketplace: entry.name, version: chosen.version })}
        >
          {install.isPending ? 'Installing…' : `Install v${chosen.version}`}
        </button>
        <button type="button" className="wb-button" onClick={onClose}>
          Cancel
        </button>
      </div>
      {install.error && <p className="wb-form-error">{install.error.message}</p>}
    </div>
  );
}

/** Update from the catalog: the server's diff first, then confirm. */
export function UpdateConfirm({
  entry,
  version,
  onClose,
}: {
  entry: MarketplaceEntry;
  version: string;
  onClose: () => void;
}) {
  const source: PackageSource = { marketplace: entry.name, version };
  const preview = useUpdatePreview();
  const update = useUpdate();
  const { mutate } = preview;
  useEffect(() => {
    mutate({ name: entry.name, source: { marketplace: entry.name, version } });
  }, [mutate, entry.name, version]);
  if (update.isSuccess) {
    const waiting = update.data.status === 'pending-approval';
    return (
      <div className="wb-market-panel wb-market-done" data-testid="update-done">
        <p>
          {waiting
            ? `v${version} is staged and waits for your approval; v${entry.installed?.version ?? '?'} stays active until then.`
            : `Updated to v${version}.`}
        </p>
        {waiting && (
          <p>
            Approve it on the <Link to="/admin/plugins">Plugins page</Link>.
          </p>
        )}
        <button type="button" className="wb-button" onClick={onClose}>
          Close
        </button>
      </div>
    );
  }
  const diff = preview.data?.diff;
  return (
    <div className="wb-market-panel" data-testid="update-confirm">
      {preview.isPending && (
        <p className="wb-loading">
          Comparing v{entry.installed?.version} with v{version}…
        </p>
      )}
      {preview.error && <p className="wb-form-error">{preview.error.message}</p>}
      {diff && <UpdateDiffView diff={diff} />}
      <div className="wb-market-actions">
        <button
          type="button"
          className="wb-button wb-button-primary"
          disabled={!diff || !diff.compatible || update.isPending}
          onClick={() => update.mutate({ name: entry.name, source })}
        >
          {diff && diff.access.needsApproval.length > 0 ? `Stage v${version} for approval` : `Update to v${version}`}
        </button>
        <button type="button" className="wb-button" onClick={onClose}>
          Cancel
        </button>
      </div>
      {update.error && <p className="wb-form-error">{update.error.message}</p>}
    </div>
  );
}
