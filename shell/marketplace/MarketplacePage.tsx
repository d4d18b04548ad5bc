import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import type { InstallPreview, MarketplaceEntry } from '../../shared/installation.schema.ts';
import { useDebounced } from '../catalog/use-debounced.ts';
import { describeSource, useCatalog, useInstall, useInstallPreview, type PackageSource } from './install-api.ts';
import { AccessRequest } from './AccessList.tsx';
import { EntryCard } from './MarketplaceEntryCard.tsx';
import { SourcePicker } from './SourcePicker.tsx';
import { StateBadge } from './StateBadge.tsx';
import './marketplace.css';

/** Whether an entry matches the search text: name, title, description, author, keywords and categories. */
export function matchesSearch(entry: MarketplaceEntry, text: string): boolean {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  const haystack = [
    entry.name,
    entry.displayName,
    entry.description,
    entry.author.name,
    ...entry.keywords,
    ...entry.categories,
    ...entry.capabilities,
  ]
    .join(' ')
    .toLowerCase();
  return words.every((word) => haystack.includes(word));
}

/** What the server read from a package before anything is installed: who it is, what it asks for, problems. */
function PackagePreview({ preview }: { preview: InstallPreview }) {
  return (
    <div className="wb-market-panel" data-testid="install-preview">
      <p>
        <strong>
          {preview.displayName} v{preview.version}
        </strong>{' '}
        <code className="wb-muted">{preview.name}</code>
      </p>
      <p className="wb-muted">{preview.description}</p>
      {preview.problems.map((p) => (
        <p key={p} className="wb-plugin-error" data-testid="install-preview-problem">
          It cannot be installed: {p}
        </p>
      ))}
      <AccessRequest entries={preview.access} />
      {preview.warnings.map((w) => (
        <p key={w} className="wb-muted">
          Note: {w}
        </p>
      ))}
    </div>
  );
}

/** Install from a zip, a server path or git: the server reads the package first, the admin confirms after. */
function InstallFromPackage() {
  const [source, setSource] = useState<PackageSource | undefined>();
  const preview = useInstallPreview();
  const install = useInstall();
  const read = preview.data;
  const error = preview.error ?? install.error;
  return (
    <details className="wb-card wb-market-upload" data-testid="install-from-package">
      <summary>Install from a package: zip upload, a path on the server or a git repository</summary>
      <SourcePicker
        onChange={(next) => {
          setSource(next);
          preview.reset();
          install.reset();
        }}
      />
      {read && !install.isSuccess && <PackagePreview preview={read} />}
      {!install.isSuccess && (
        <div className="wb-market-actions">
          {!read ? (
            <button
              type="button"
              className="wb-button wb-button-primary"
              disabled={!source || preview.isPending}
              onClick={() => source && preview.mutate(source)}
            >
              {preview.isPending ? 'Reading the package…' : 'Review package'}
            </button>
          ) : (
            <>
              <button
                type="button"
                className="wb-button wb-button-primary"
                disabled={!source || !read.installable || install.isPending}
                onClick={() => source && install.mutate(source)}
              >
                {install.isPending ? 'Installing…' : `Install v${read.version}`}
              </button>
              <button type="button" className="wb-button" onClick={() => preview.reset()}>
                Cancel
              </button>
            </>
          )}
        </div>
      )}
      {error && (
        <p className="wb-form-error" data-testid="install-error">
          {source ? `${describeSource(source)}: ` : ''}
          {error.message}
        </p>
      )}
      {install.isSuccess && (
        <p data-testid="install-done">
          Installed {install.data.plugin.displayName} v{install.data.plugin.version}:{' '}
          <StateBadge state={install.data.plugin.state} />{' '}
          {install.data.plugin.state === 'pending-approval' && (
            <>
              approve it on the <Link to="/admin/plugins">Plugins page</Link>.
            </>
          )}
        </p>
      )}
    </details>
  );
}

/** Admin: browse, search and install the catalog's plugins (PLUGIN_CATALOG), or install any package. */
export function MarketplacePage() {
  const catalog = useCatalog();
  const [text, setText] = useState('');
  const [category, setCategory] = useState('');
  const search = useDebounced(text, 150);
  const entries = catalog.data?.entries ?? [];
  const categories = useMemo(() => [...new Set(entries.flatMap((e) => e.categories))].sort(), [entries]);
  const shown = entries.filter((e) => matchesSearch(e, search) && (!category || e.categories.includes(category)));
  return (
    <div className="wb-page">
      <header className="wb-page-header">
        <h1>Marketplace</h1>
        <p className="wb-muted">
          {catalog.data ? (
            <span data-testid="catalog-source">
              {entries.length} plugin{entries.length === 1 ? '' : 's'} in{' '}
              {catalog.data.catalog.kind === 'url' ? (
                <>
                  the catalog at <code>{catalog.data.catalog.url}</code>
                </>
              ) : (
                <>
                  the catalog folder set by <code>PLUGIN_CATALOG</code>
                </>
              )}
            </span>
          ) : (
            'Plugins you can install on this server'
          )}
        </p>
      </header>
      <InstallFromPackage />
      {catalog.isPending && <div className="wb-loading">Reading the catalog…</div>}
      {catalog.isError && (
        <div className="wb-plugin-error" data-testid="catalog-error">
          <strong>The catalog cannot be shown.</strong>
          <p>{catalog.error.message}</p>
          <p className="wb-muted">The server reads it from PLUGIN_CATALOG (a folder with index.json, or its URL).</p>
        </div>
      )}
      {catalog.data && catalog.data.problems.length > 0 && (
        <details className="wb-problems">
          <summary>Skipped catalog entries ({catalog.data.problems.length})</summary>
          <ul>
            {catalog.data.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </details>
      )}
      {catalog.data && (
        <div className="wb-form-row wb-market-filters">
          <label className="wb-market-grow">
            Search
            <input
              type="search"
              value={text}
              placeholder="Name, description, author, keyword"
              onChange={(e) => setText(e.target.value)}
            />
          </label>
          <label>
            Category
            <select value={category} onChange={(e) => setCategory(e.target.value)}>
              <option value="">All categories</option>
              {categories.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
        </div>
      )}
      {catalog.data && entries.length === 0 && <div className="wb-empty">The catalog lists no plugins yet.</div>}
      {catalog.data && entries.length > 0 && shown.length === 0 && (
        <div className="wb-empty">
          No plugin matches “{search}”{category ? ` in ${category}` : ''}.
        </div>
      )}
      <div className="wb-market-grid">
        {shown.map((entry) => (
          <EntryCard key={entry.name} entry={entry} />
        ))}
      </div>
    </div>
  );
}
