import type { LineageNode } from '@dbt-workbench/plugin-sdk/contracts/lineage.schema';
import { ExtensionSlot } from '../extensions/slots.tsx';
import { selectedEdgeProps, type DrawnEdge } from './drawn-edges.ts';
import { resourceTypeStyle } from './resource-types.ts';

export interface EdgePanelProps {
  workspace: string;
  edge: DrawnEdge;
  from: LineageNode | undefined;
  to: LineageNode | undefined;
  onSelectNode(id: string): void;
  onClose(): void;
}

function End({ label, id, node, onSelect }: { label: string; id: string; node?: LineageNode; onSelect(): void }) {
  const style = node ? resourceTypeStyle(node.resourceType) : null;
  return (
    <>
      <dt>{label}</dt>
      <dd>
        <button type="button" className="wb-link-button" onClick={onSelect} title={`Select ${id}`}>
          {node?.name ?? id}
        </button>
        {style && <span className="wb-muted"> · {style.label.toLowerCase()}</span>}
      </dd>
    </>
  );
}

/** The side panel of the selected edge: which node feeds which, who drew the edge, and the plugins' edge actions. */
export function EdgePanel({ workspace, edge, from, to, onSelectNode, onClose }: EdgePanelProps) {
  const edgeProps = selectedEdgeProps(edge);
  return (
    <aside
      className="wb-lineage-panel wb-card"
      aria-label={`Lineage edge from ${from?.name ?? edge.from} to ${to?.name ?? edge.to}`}
      data-testid="lineage-edge-panel"
    >
      <div className="wb-lineage-panel-head">
        <span className="wb-lineage-type">Dependency</span>
        <button type="button" className="wb-link-button" onClick={onClose} aria-label="Close the edge panel">
          ✕
        </button>
      </div>
      <h2 className="wb-lineage-panel-title">
        {from?.name ?? edge.from} → {to?.name ?? edge.to}
      </h2>
      {edge.label && <p className="wb-muted wb-lineage-id">{edge.label}</p>}
      <dl className="wb-facts">
        <End label="From" id={edge.from} node={from} onSelect={() => onSelectNode(edge.from)} />
        <End label="To" id={edge.to} node={to} onSelect={() => onSelectNode(edge.to)} />
        <dt>Added by</dt>
        <dd>{edge.addedBy ? `the plugin ${edge.addedBy}` : 'the project (dbt)'}</dd>
      </dl>
      {edge.extra && <p className="wb-muted">Drawn by an overlay: dbt does not know this dependency.</p>}
      <div className="wb-lineage-plugin-actions" data-testid="edge-actions">
        <ExtensionSlot
          slot="lineage.node-action"
          frame="bare"
          filter={(action) => action.target === 'edge'}
          slotProps={{ edge: edgeProps, workspace, close: onClose }}
        />
      </div>
    </aside>
  );
}
