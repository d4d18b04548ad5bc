import { groupAccess, type AccessEntry } from '@dbt-workbench/plugin-sdk/contracts/access-request';

/** How each entry is marked: by whether it is approved, as added or removed in an update, or not at all. */
export type AccessTone = 'approval' | 'added' | 'removed' | 'plain';

function Marker({ entry, tone }: { entry: AccessEntry; tone: AccessTone }) {
  if (tone === 'approval') {
    return entry.approved ? (
      <span className="wb-access-mark wb-access-mark-ok">approved</span>
    ) : (
      <span className="wb-access-mark wb-access-mark-wait">needs approval</span>
    );
  }
  if (tone === 'added' && !entry.approved) {
    return <span className="wb-access-mark wb-access-mark-wait">needs approval</span>;
  }
  return null;
}

/**
 * What a plugin version asks for, in plain words, grouped: capabilities, files, environment, network, limits and
 * code from elsewhere. Capabilities also show their name, as the plugin card does.
 */
export function AccessList({ entries, tone = 'plain' }: { entries: readonly AccessEntry[]; tone?: AccessTone }) {
  return (
    <div className={`wb-access wb-access-${tone}`}>
      {groupAccess(entries).map((group) => (
        <div key={group.title} className="wb-access-group">
          <h4>{group.title}</h4>
          <ul>
            {group.entries.map((entry) => (
              <li key={entry.key} data-access-key={entry.key}>
                {entry.item.kind === 'capability' && <code>{entry.item.capability}</code>}
                <span className="wb-access-words">{entry.description}</span>
                <Marker entry={entry} tone={tone} />
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}

/** What a version asks for before it is installed, and whether it will wait for approval. */
export function AccessRequest({ entries }: { entries: readonly AccessEntry[] }) {
  const waiting = entries.filter((e) => !e.approved).length;
  if (entries.length === 0) {
    return (
      <p className="wb-muted">It asks for nothing (UI only, default limits) and runs as soon as it is installed.</p>
    );
  }
  return (
    <>
      <p>
        It asks for the following.{' '}
        {waiting > 0
          ? 'It runs only once you approve all of it on the Plugins page.'
          : "This server's policy approves all of it: it runs as soon as it is installed."}
      </p>
      <AccessList entries={entries} tone="added" />
    </>
  );
}
