import { useState } from 'react';
import { Link } from 'react-router';
import { capabilityDescriptions } from '@dbt-workbench/plugin-sdk/contracts/capabilities';
import type { MarketplaceEntry } from '../../shared/installation.schema.ts';
import { InstallConfirm, UpdateConfirm } from './CatalogActions.tsx';
import { PluginIcon } from './PluginIcon.tsx';
import { StateBadge } from './StateBadge.tsx';

function Screenshots({ urls, title }: { urls: string[]; title: string }) {
  const [open, setOpen] = useState<string | undefined>();
  if (urls.length === 0) return null;
  return (
    <div className="wb-market-shots">
      {urls.map((url, i) => (
        <button key={url} type="button" className="wb-market-shot" onClick={() => setOpen(url)}>
          <img src={url} alt={`${title} screenshot ${i + 1}`} loading="lazy" />
        </button>
      ))}
      {open && (
        <div
          className="wb-market-lightbox"
          role="dialog"
          aria-label={`${title} screenshot`}
          onClick={() => setOpen(undefined)}
        >
          <img src={open} alt={`${title} screenshot`} />
          <span className="wb-muted">Click anywhere to close</span>
        </div>
      )}
    </div>
  );
}

/** Semver order of two plain versions (x.y.z with optional pre-release), enough to tell newer from older. */
function compareVersions(a: string, b: string): number {
  const parts = (v: string) =>
    v
      .split(/[.+-]/)
      .slice(0, 3)
      .map((n) => Number(n) || 0);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

/** One plugin of the catalog: what it is and asks for, whether it runs here, and install or update. */
export function EntryCard({ entry }: { entry: MarketplaceEntry }) {
  const [version, setVersion] = useState(entry.version);
  const [open, setOpen] = useState<'install' | 'update' | undefined>();
  const chosen = entry.versions.find((v) => v.version === version) ?? entry.versions[0]!;
  const installed = entry.installed;
  const isNewer = installed?.version ? compareVersions(chosen.version, installed.version) > 0 : false;
  return (
    <article className="wb-card wb-market-entry" data-testid="market-entry" data-plugin={entry.name}>
      <div className="wb-plugin-head">
        <PluginIcon iconUrl={entry.iconUrl} displayName={entry.displayName} name={entry.name} />
        <div className="wb-plugin-title">
          <h2>
            {entry.displayName} <span className="wb-muted">v{entry.version}</span>
          </h2>
          <p className="wb-muted">
            <code>{entry.name}</code> · by {entry.author.name}
            {entry.license ? ` · ${entry.license}` : ''}
          </p>
        </div>
      </div>
      <p>{entry.description}</p>
      {installed && (
        <p className="wb-market-installed" data-testid="installed-state">
          Installed here: v{installed.version} <StateBadge state={installed.state} />
        </p>
      )}
      {entry.categories.length > 0 && (
        <div className="wb-capabilities">
          {entry.categories.map((c) => (
            <span key={c} className="wb-chip wb-chip-off">
              {c}
            </span>
          ))}
        </div>
      )}
      <div className="wb-capabilities">
        <span className="wb-muted">Capabilities:</span>{' '}
        {chosen.capabilities.length === 0 ? (
          <span className="wb-muted">none (UI only)</span>
        ) : (
          chosen.capabilities.map((c) => (
            <span key={c} className="wb-chip" title={capabilityDescriptions[c]}>
              {c}
            </span>
          ))
        )}
      </div>
      {!chosen.compatible && (
        <p className="wb-reason" data-testid="compatibility-warning">
          v{chosen.version} cannot run on this server: {chosen.problems.join('; ')}
        </p>
      )}
      {chosen.compatible &&
        chosen.warnings.map((w) => (
          <p key={w} className="wb-reason">
            {w}
          </p>
        ))}
      <Screenshots urls={entry.screenshotUrls} title={entry.displayName} />
      {entry.pendingVersion && open === undefined && (
        <p className="wb-reason" data-testid="pending-version">
          v{entry.pendingVersion} is staged and waits for approval on the <Link to="/admin/plugins">Plugins page</Link>.
        </p>
      )}
      {open === 'install' && <InstallConfirm entry={entry} version={version} onClose={() => setOpen(undefined)} />}
      {open === 'update' && <UpdateConfirm entry={entry} version={version} onClose={() => setOpen(undefined)} />}
      {open === undefined && (
        <div className="wb-market-actions">
          {entry.versions.length > 1 && (
            <label className="wb-market-version">
              Version
              <select
                aria-label={`Version of ${entry.displayName}`}
                value={version}
                onChange={(e) => setVersion(e.target.value)}
              >
                {entry.versions.map((v) => (
                  <option key={v.version} value={v.version}>
                    {v.version}
                    {v.compatible ? '' : ' (incompatible)'}
                  </option>
                ))}
              </select>
            </label>
          )}
          {!installed && (
            <button
              type="button"
              className="wb-button wb-button-primary"
              disabled={!chosen.compatible}
              onClick={() => setOpen('install')}
            >
              Install
            </button>
          )}
          {installed && isNewer && chosen.version !== entry.pendingVersion && (
            <button
              type="button"
              className="wb-button wb-button-primary"
              disabled={!chosen.compatible}
              onClick={() => setOpen('update')}
            >
              Update to v{chosen.version}
            </button>
          )}
          {installed && !isNewer && (
            <span className="wb-muted">
              Installed; manage it on the <Link to="/admin/plugins">Plugins page</Link>.
            </span>
          )}
          {entry.updateAvailable && !isNewer && <span className="wb-badge wb-badge-warn">update available</span>}
        </div>
      )}
    </article>
  );
}
