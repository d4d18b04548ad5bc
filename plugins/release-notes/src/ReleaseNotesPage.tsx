import { defineSlotComponent, slots, type PluginPageProps } from '@dbt-workbench/plugin-sdk';
import { noReleasesText, releasesFor } from './releases.ts';

function ReleaseNotesPage({ sdk }: PluginPageProps) {
  const releases = releasesFor(sdk.config, sdk.workspace.name);
  return (
    <section style={{ display: 'grid', gap: 16, maxWidth: 760 }}>
      <header>
        <h1 style={{ margin: 0, fontSize: 22 }}>What's new</h1>
        <p style={{ margin: '4px 0 0', color: 'var(--wb-text-muted)' }}>
          Changes to the models of {sdk.workspace.title}, newest first.
        </p>
      </header>
      {releases.length === 0 && (
        <p className="wb-empty" data-testid="no-releases">
          {noReleasesText(sdk.workspace)}
        </p>
      )}
      {releases.map((release) => (
        <article key={release.version} className="wb-card" data-testid="release">
          <h2 style={{ margin: 0, fontSize: 16 }}>
            {release.version} <span style={{ color: 'var(--wb-text-muted)', fontWeight: 400 }}>· {release.date}</span>
          </h2>
          <ul style={{ margin: '8px 0 0', paddingLeft: 20 }}>
            {release.highlights.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </article>
      ))}
    </section>
  );
}

export default defineSlotComponent(slots.navTab, ReleaseNotesPage);
