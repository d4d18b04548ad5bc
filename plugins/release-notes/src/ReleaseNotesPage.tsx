import { defineSlotComponent, slots } from '@dbt-workbench/plugin-sdk';
import { releases } from './releases.ts';

function ReleaseNotesPage() {
  return (
    <section style={{ display: 'grid', gap: 16, maxWidth: 760 }}>
      <header>
        <h1 style={{ margin: 0, fontSize: 22 }}>What's new</h1>
        <p style={{ margin: '4px 0 0', color: 'var(--wb-text-muted)' }}>
          Changes to the project's models, newest first.
        </p>
      </header>
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
