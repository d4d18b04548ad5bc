import type { CodeSlotName, LineageNodeBox } from '@dbt-workbench/plugin-sdk';
import type { FrameLayout } from '../../isolation/bridge-contract.ts';

/** How a slot's frame is sized: toolbar controls and menu entries inline, the lineage layer over the canvas. */
export function layoutOfSlot(slot: CodeSlotName): FrameLayout {
  if (slot === 'sql.control' || slot === 'lineage.node-action') return 'inline';
  if (slot === 'lineage.overlay') return 'canvas';
  return 'block';
}

/** The canvas area a lineage layer covers: every node's box, plus a margin for badges drawn beside nodes. Pure. */
export function canvasExtent(boxes: Record<string, LineageNodeBox> | undefined, margin = 200) {
  let width = 0;
  let height = 0;
  for (const box of Object.values(boxes ?? {})) {
    width = Math.max(width, box.x + box.width);
    height = Math.max(height, box.y + box.height);
  }
  return { width: Math.ceil(width + margin), height: Math.ceil(height + margin) };
}

/** The app's design tokens with their current values, for a frame to look native. */
export function themeTokens(element: Element = document.documentElement): Record<string, string> {
  const style = getComputedStyle(element);
  const tokens: Record<string, string> = {};
  for (let i = 0; i < style.length; i++) {
    const name = style.item(i);
    if (name.startsWith('--wb-')) tokens[name] = style.getPropertyValue(name).trim();
  }
  return tokens;
}
