import type { PluginVersionFacts } from '../../../shared/plugin-diagnostics.schema.ts';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : 'not known');

/** The version in force: when it was last updated and how, what it replaced, and whether it fits this server. */
export function VersionFacts({ facts }: { facts: PluginVersionFacts }) {
  const c = facts.compatibility;
  return (
    <dl className="wb-facts" data-testid="version-facts">
      <dt>Version</dt>
      <dd>
        {facts.version ?? 'unreadable manifest'}
        {facts.previousVersion ? ` (replaced ${facts.previousVersion})` : ''}
      </dd>
      <dt>Last updated</dt>
      <dd data-testid="last-updated">
        {when(facts.updatedAt)}
        <span className="wb-muted">
          {facts.updatedBy === 'installer'
            ? ' — installed, updated or rolled back here'
            : ' — its files changed on disk'}
        </span>
      </dd>
      {c && (
        <>
          <dt>Compatibility</dt>
          <dd data-testid="compatibility">
            needs dbt-Workbench <code>{c.workbench}</code> and plugin API {c.pluginApi}; this server is{' '}
            {c.server.workbench} with plugin API {c.server.pluginApi.join(', ')}
            <span className={c.fits ? 'wb-badge wb-badge-good' : 'wb-badge wb-badge-bad'}>
              {c.fits ? 'fits' : 'does not fit'}
            </span>
          </dd>
        </>
      )}
    </dl>
  );
}
