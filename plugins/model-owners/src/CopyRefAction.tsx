import { defineSlotComponent, slots, type LineageNodeActionProps } from '@dbt-workbench/plugin-sdk';
import { referenceOf } from './owners.ts';

/** Copies the Jinja that uses this node, ready to paste into a model. */
function CopyRefAction({ sdk, node }: LineageNodeActionProps) {
  const reference = referenceOf(node);
  if (!reference) return null;
  async function copy() {
    try {
      await navigator.clipboard.writeText(reference!);
      sdk.notify(`Copied ${reference}`, { tone: 'success' });
    } catch {
      sdk.notify(`Copy this by hand: ${reference}`, { tone: 'warning' });
    }
  }
  return (
    <button type="button" className="wb-button" onClick={copy} title={reference}>
      Copy {node.resourceType === 'source' ? 'source()' : 'ref()'}
    </button>
  );
}

export default defineSlotComponent(slots.lineageNodeAction, CopyRefAction);
