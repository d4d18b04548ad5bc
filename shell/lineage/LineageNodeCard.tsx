import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import type { LineageNode } from '@dbt-workbench/plugin-sdk/contracts/lineage.schema';
import type { OwnedBadge } from './overlay-view.ts';
import { resourceTypeStyle, statusText, statusTone } from './resource-types.ts';

export interface LineageNodeData extends Record<string, unknown> {
  node: LineageNode;
  badges: OwnedBadge[];
  focused: boolean;
}

export type LineageFlowNode = Node<LineageNodeData, 'lineage'>;

/** Words for a node's tests: `3 tests`, `1 of 3 tests failing`. */
export function testsText(node: LineageNode): string {
  if (node.testCount === 0) return 'no tests';
  const tests = `${node.testCount} test${node.testCount === 1 ? '' : 's'}`;
  return node.testFailures > 0 ? `${node.testFailures} of ${tests} failing` : tests;
}

/** One node of the graph: its type colour, name, status mark and test count. */
export function LineageNodeCard({ data, selected }: NodeProps<LineageFlowNode>) {
  const { node, badges, focused } = data;
  const style = resourceTypeStyle(node.resourceType);
  const tone = statusTone(node.status);
  const classes = ['wb-lineage-node', focused ? 'is-focus' : '', selected ? 'is-selected' : ''].filter(Boolean);
  return (
    <div
      className={classes.join(' ')}
      style={{ borderColor: style.color, background: style.tint }}
      data-testid="lineage-node"
      data-node-id={node.id}
      data-type={node.resourceType}
      title={`${node.id}\n${statusText(node.status)}, ${testsText(node)}`}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} className="wb-lineage-handle" />
      <div className="wb-lineage-node-top">
        <span className="wb-lineage-type" style={{ color: style.color }}>
          {style.label}
          {node.materialization && node.resourceType === 'model' ? ` · ${node.materialization}` : ''}
          {node.plugin ? ` · ${node.plugin}` : ''}
        </span>
        <span className={`wb-lineage-status wb-lineage-status-${tone}`} aria-label={statusText(node.status)} />
      </div>
      <div className="wb-lineage-name">{node.name}</div>
      <div className="wb-lineage-node-bottom">
        {node.testCount > 0 && (
          <span className={node.testFailures > 0 ? 'wb-lineage-tests is-failing' : 'wb-lineage-tests'}>
            {node.testFailures > 0 ? `✕ ${node.testFailures}/${node.testCount} tests` : `✓ ${node.testCount} tests`}
          </span>
        )}
        {badges.slice(0, 3).map((badge, i) => (
          <span
            key={`${badge.owner}:${i}`}
            className={`wb-lineage-badge wb-badge-${badge.tone}`}
            title={`${badge.title ?? badge.label} (from ${badge.owner})`}
            data-testid="lineage-badge"
          >
            {badge.label}
          </span>
        ))}
      </div>
      <Handle type="source" position={Position.Right} isConnectable={false} className="wb-lineage-handle" />
    </div>
  );
}
