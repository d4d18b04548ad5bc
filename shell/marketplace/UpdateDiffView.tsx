import type { UpdateDiff } from '../../shared/installation.schema.ts';
import { capabilityDescriptions, type Capability } from '../../shared/capabilities.ts';

function CapabilityList({ items, tone }: { items: readonly Capability[]; tone: 'added' | 'removed' | 'kept' }) {
  return (
    <ul className={`wb-market-caps wb-market-caps-${tone}`}>
      {items.map((c) => (
        <li key={c}>
          <code>{c}</code> <span className="wb-muted">{capabilityDescriptions[c]}</span>
        </li>
      ))}
    </ul>
  );
}

/** What an update changes, shown before it is confirmed: versions, compatibility and capabilities. */
export function CapabilityDiff({ diff }: { diff: UpdateDiff }) {
  const kept = diff.to.capabilities.filter((c) => !diff.added.includes(c));
  return (
    <div className="wb-market-diff" data-testid="capability-diff">
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
      {diff.added.length > 0 && (
        <>
          <p>New capabilities:</p>
          <CapabilityList items={diff.added} tone="added" />
        </>
      )}
      {diff.removed.length > 0 && (
        <>
          <p>No longer asks for:</p>
          <CapabilityList items={diff.removed} tone="removed" />
        </>
      )}
      {kept.length > 0 && (
        <>
          <p>Keeps:</p>
          <CapabilityList items={kept} tone="kept" />
        </>
      )}
      {diff.to.capabilities.length === 0 && <p className="wb-muted">Asks for no capabilities (UI only).</p>}
      <p className={diff.needsApproval.length > 0 ? 'wb-reason' : 'wb-muted'} data-testid="diff-approval">
        {diff.needsApproval.length > 0
          ? `Needs your approval of ${diff.needsApproval.join(', ')}: until you approve, v${diff.from.version ?? '?'} stays active.`
          : 'Every capability is approved already: the new version replaces the old one at once.'}
      </p>
      {diff.warnings.map((w) => (
        <p key={w} className="wb-muted">
          Note: {w}
        </p>
      ))}
    </div>
  );
}
