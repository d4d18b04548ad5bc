import { defineSlotComponent, slots, type PageWidgetProps } from '@dbt-workbench/plugin-sdk';
import { ownerOf } from './owners.ts';

/** Who owns the model on its page, and how to say so when nobody does. */
function OwnershipWidget({ node }: PageWidgetProps) {
  if (!node) return null;
  const owner = ownerOf(node);
  return (
    <div data-testid="ownership">
      {owner.fromFolder ? (
        <>
          <p style={{ margin: 0 }}>No owner is set for {node.name}.</p>
          <p className="wb-muted" style={{ margin: '6px 0 0', fontSize: 12.5 }}>
            Add{' '}
            <code>
              meta: {'{'}owner: your-team{'}'}
            </code>{' '}
            to its YAML, or put it in a group.
          </p>
        </>
      ) : (
        <p style={{ margin: 0 }}>
          Owned by <strong>{owner.label}</strong>
          {node.group ? ` (group ${node.group})` : ''}
        </p>
      )}
      {node.access && (
        <p className="wb-muted" style={{ margin: '6px 0 0', fontSize: 12.5 }}>
          Access: {node.access}
        </p>
      )}
    </div>
  );
}

export default defineSlotComponent(slots.pageWidget, OwnershipWidget);
