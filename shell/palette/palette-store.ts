import { useEffect } from 'react';
import { create } from 'zustand';
import { isPaletteShortcut } from '../search/search-shortcut.ts';

interface PaletteState {
  open: boolean;
  /** What had the focus when the palette opened: it gets it back when the palette closes. */
  returnFocus: HTMLElement | null;
}

/** Whether the command palette is open; one per page. */
export const usePaletteStore = create<PaletteState>(() => ({ open: false, returnFocus: null }));

/** Opens the command palette (from the shortcut or a button), remembering where the focus was. */
export function openPalette(): void {
  const active = document.activeElement;
  usePaletteStore.setState({ open: true, returnFocus: active instanceof HTMLElement ? active : null });
}

/** Closes the command palette; the dialog gives the focus back as it goes (CommandPalette.tsx). */
export function closePalette(): void {
  usePaletteStore.setState({ open: false });
}

/** Ctrl+K (⌘K on a Mac) anywhere in the page opens the palette, or closes it when open. */
export function usePaletteShortcut(): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || !isPaletteShortcut(event)) return;
      event.preventDefault();
      if (usePaletteStore.getState().open) closePalette();
      else openPalette();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
