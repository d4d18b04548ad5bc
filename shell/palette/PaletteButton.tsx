import { paletteShortcutKeys } from '../search/search-shortcut.ts';
import { openPalette } from './palette-store.ts';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** Opens the command palette with the mouse, and shows its shortcut to learn. */
export function PaletteButton() {
  return (
    <button
      type="button"
      className="wb-palette-button"
      aria-keyshortcuts={paletteShortcutKeys}
      aria-haspopup="dialog"
      title="Run a tool or search the catalog"
      onClick={openPalette}
    >
      <span>Commands</span>
      <span className="wb-palette-button-keys" aria-hidden="true">
        <kbd>{isMac ? '⌘' : 'Ctrl'}</kbd> <kbd>K</kbd>
      </span>
    </button>
  );
}
