import { defineSlotComponent, slots, type LineageEdgeActionProps } from '@dbt-workbench/plugin-sdk';
import { pathSelectorOf } from './owners.ts';

/** An edge action: copies the dbt selector of both ends and everything between, to build or test them together. */
function CopyPathAction({ sdk, edge }: LineageEdgeActionProps) {
  const selector = pathSelectorOf(edge);
  async function copy() {
    try {
      await navigator.clipboard.writeText(selector);
      sdk.notify(`Copied ${selector}`, { tone: 'success' });
    } catch {
      sdk.notify(`Copy this by hand: ${selector}`, { tone: 'warning' });
    }
  }
  return (
    <button type="button" className="wb-button" onClick={copy} title={`dbt build --select ${selector}`}>
      Copy path selector
    </button>
  );
}

export default defineSlotComponent(slots.lineageEdgeAction, CopyPathAction);
