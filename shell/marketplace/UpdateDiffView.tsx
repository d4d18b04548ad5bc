import type { ContributionRef, UpdateDiff } from '../../shared/installation.schema.ts';
import { AccessList } from './AccessList.tsx';

function ContributionList({ items, tone }: { items: readonly ContributionRef[]; tone: 'added' | 'removed' }) {
  return (
    <ul className={`wb-market-caps wb-market-caps-${tone}`}>
      {items.map((c) => (
        <li key={`${c.slot}:${c.id}`}>
          {c.title ?? c.id}{' '}
          <span className="wb-muted">
            ({c.slot}, id {c.id})
          </span>
        </li>
      ))}
    </ul>
  );
}

/**
 * What an update changes, shown before it is confirmed and while it waits: versions, compatibility, what it asks
 * for that the running version did not (and what it no longer asks for), what it keeps, and its new and dropped
 * contributions.
 */
export function UpdateDiffView({ diff }: { diff: UpdateDiff }) {
  const { access, contributions } = diff;
  const addedKeys = new Set(access.added.map((e) => e.key));
  const kept = access.request.filter((e) => !addedKeys.has(e.key));
  const waiting = access.needsApproval;
  return (
    <div className="wb-market-diff" data-testid="update-diff">
      <p>
        <strong>
          {diff.from.version ? `v${diff.from.version}` : 'not installed'} → v{diff.to.version}
        </strong>{' '}
        {diff.change === 'downgrade' && <span className="wb-badge wb-badge-warn">downgrade</span>}
        {diff.change === 'same' && <span className="wb-badge wb-badge-neutral">same version</span>}
      </p>
      {!diff.compatible && (
        <p className="wb-plugin-error" data-testid="diff-incompatible">
          This version cannot run on this server: {diff.problems.join('; ')}
        </p>
      )}
      {access.added.length > 0 && (
        <section data-testid="diff-added">
          <p>Asks for more:</p>
          <AccessList entries={access.added} tone="added" />
        </section>
      )}
      {access.removed.length > 0 && (
        <section data-testid="diff-removed">
          <p>No longer asks for:</p>
          <AccessList entries={access.removed} tone="removed" />
        </section>
      )}
      {kept.length > 0 && (
        <details className="wb-access-kept">
          <summary>
            Still asks for {kept.length} item{kept.length === 1 ? '' : 's'} v{diff.from.version ?? '?'} asked for
          </summary>
          <AccessList entries={kept} tone="approval" />
        </details>
      )}
      {access.request.length === 0 && <p className="wb-muted">Asks for nothing (UI only, default limits).</p>}
      {(contributions.added.length > 0 || contributions.removed.length > 0) && (
        <section data-testid="diff-contributions">
          {contributions.added.length > 0 && (
            <>
              <p>New in the interface:</p>
              <ContributionList items={contributions.added} tone="added" />
            </>
          )}
          {contributions.removed.length > 0 && (
            <>
              <p>Gone from the interface:</p>
              <ContributionList items={contributions.removed} tone="removed" />
            </>
          )}
        </section>
      )}
      <p className={waiting.length > 0 ? 'wb-reason' : 'wb-muted'} data-testid="diff-approval">
        {waiting.length > 0
          ? `Needs your approval of ${waiting.length} item${waiting.length === 1 ? '' : 's'} marked above: until you approve, v${diff.from.version ?? '?'} stays active.`
          : 'Everything it asks for is approved already: the new version replaces the old one at once.'}
      </p>
      {diff.warnings.map((w) => (
        <p key={w} className="wb-muted">
          Note: {w}
        </p>
      ))}
    </div>
  );
}
