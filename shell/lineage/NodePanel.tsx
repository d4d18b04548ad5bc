import { ExtensionSlot } from '../extensions/slots.tsx';
import { Link } from 'react-router';
import type { LineageNode } from '@dbt-workbench/plugin-sdk/contracts/lineage.schema';
import { nodePath } from '../catalog/format.ts';
import { testsText } from './LineageNodeCard.tsx';
import type { OwnedAnnotation, OwnedBadge } from './overlay-view.ts';
import { resourceTypeStyle, statusTone } from './resource-types.ts';

export interface NodePanelProps {
  workspace: string;
  node: LineageNode;
  badges: OwnedBadge[];
  notes: OwnedAnnotation[];
  isFocus: boolean;
  up: number;
  down: number;
  onFocus(id: string, up: number, down: number): void;
  onClose(): void;
}

/** The side panel of the selected node: what it is, how it last ran, where to go from here. */
export function NodePanel({ workspace, node, badges, notes, isFocus, up, down, onFocus, onClose }: NodePanelProps) {
  const style = resourceTypeStyle(node.resourceType);
  const detail = nodePath(workspace, node.resourceType, node.id);
  const tone = statusTone(node.status);
  return (
    <aside className="wb-lineage-panel wb-card" aria-label={`Lineage node ${node.name}`} data-testid="lineage-panel">
      <div className="wb-lineage-panel-head">
        <span className="wb-lineage-type" style={{ color: style.color }}>
          {style.label}
        </span>
        <button type="button" className="wb-link-button" onClick={onClose} aria-label="Close the node panel">
          ✕
        </button>
      </div>
      <h2 className="wb-lineage-panel-title">{node.name}</h2>
      <p className="wb-muted wb-lineage-id">{node.id}</p>
      <dl className="wb-facts">
        {node.plugin ? (
          <>
            <dt>Added by</dt>
            <dd>the plugin {node.plugin}</dd>
          </>
        ) : (
          <>
            <dt>Package</dt>
            <dd>{node.package || '—'}</dd>
          </>
        )}
        {node.materialization && (
          <>
            <dt>Materialized</dt>
            <dd>{node.materialization}</dd>
          </>
        )}
        <dt>Last run</dt>
        <dd>{node.status ? <span className={`wb-badge wb-badge-${tone}`}>{node.status}</span> : 'no run result'}</dd>
        <dt>Tests</dt>
        <dd className={node.testFailures > 0 ? 'wb-lineage-failing' : undefined}>{testsText(node)}</dd>
        {node.tags.length > 0 && (
          <>
            <dt>Tags</dt>
            <dd>{node.tags.join(', ')}</dd>
          </>
        )}
      </dl>
      {node.description ? (
        <p className="wb-lineage-description">{node.description}</p>
      ) : (
        <p className="wb-muted wb-lineage-description">No description.</p>
      )}
      {badges.length > 0 && (
        <div className="wb-lineage-panel-badges">
          {badges.map((badge, i) => (
            <span key={`${badge.owner}:${i}`} className={`wb-badge wb-badge-${badge.tone}`} title={badge.title}>
              {badge.label} <small>· {badge.owner}</small>
            </span>
          ))}
        </div>
      )}
      {notes.length > 0 && (
        <ul className="wb-lineage-notes">
          {notes.map((note, i) => (
            <li key={`${note.owner}:${i}`}>
              {note.text} <span className="wb-muted">({note.owner})</span>
            </li>
          ))}
        </ul>
      )}
      <div className="wb-lineage-panel-actions">
        {!isFocus && (
          <button type="button" className="wb-button wb-button-primary" onClick={() => onFocus(node.id, up, down)}>
            Focus here
          </button>
        )}
        <button type="button" className="wb-button" onClick={() => onFocus(node.id, up + 1, down)}>
          More upstream ({up + 1})
        </button>
        <button type="button" className="wb-button" onClick={() => onFocus(node.id, up, down + 1)}>
          More downstream ({down + 1})
        </button>
      </div>
      <div className="wb-lineage-plugin-actions" data-testid="node-actions">
        <ExtensionSlot
          slot="lineage.node-action"
          frame="bare"
          filter={(action) => action.target !== 'edge'}
          slotProps={{ node, close: onClose }}
        />
      </div>
      {/* A plugin's node has no catalog page: it lives in the plugin, not in the project's artifacts. */}
      {!node.plugin && (
        <Link className="wb-lineage-detail-link" to={detail}>
          Open {style.label.toLowerCase()} details →
        </Link>
      )}
    </aside>
  );
}
