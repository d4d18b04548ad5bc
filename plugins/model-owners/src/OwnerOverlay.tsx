import { useQuery } from '@tanstack/react-query';
import { defineSlotComponent, slots, type LineageOverlayProps } from '@dbt-workbench/plugin-sdk';
import { ownerOf } from './owners.ts';

/** A small owner label above each model, seed and snapshot on the lineage canvas. */
function OwnerOverlay({ sdk, nodes, boxes }: LineageOverlayProps) {
  const models = useQuery({
    queryKey: ['models', sdk.workspace.name],
    queryFn: () => sdk.data.models({ resourceType: 'all' }),
  });
  if (!models.data) return null;
  const byId = new Map(models.data.items.map((m) => [m.uniqueId, m]));
  return (
    <>
      {nodes.map((node) => {
        const box = boxes[node.id];
        const model = byId.get(node.id);
        if (!box || !model) return null;
        const owner = ownerOf(model);
        return (
          <span
            key={node.id}
            data-testid="owner-badge"
            title={owner.fromFolder ? 'No owner set: this is the folder it lives in' : 'Owner'}
            style={{
              position: 'absolute',
              left: box.x + 8,
              top: box.y - 20,
              fontSize: 11,
              lineHeight: '16px',
              padding: '0 6px',
              borderRadius: 8,
              whiteSpace: 'nowrap',
              color: owner.fromFolder ? 'var(--wb-text-muted)' : '#6d28d9',
              background: owner.fromFolder ? '#f1f3f6' : '#ede9fe',
              border: '1px solid #ddd6fe',
            }}
          >
            {owner.fromFolder ? owner.label : `@${owner.label}`}
          </span>
        );
      })}
    </>
  );
}

export default defineSlotComponent(slots.lineageOverlay, OwnerOverlay);
