import { useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useNavigate } from 'react-router';
import type { ToolDescriptor } from '../../shared/tools.schema.ts';
import { PaletteSearch, type PaletteChoice } from './PaletteSearch.tsx';
import { closePalette, usePaletteShortcut, usePaletteStore } from './palette-store.ts';
import { ToolPanel } from './ToolPanel.tsx';
import './palette.css';

/**
 * The open palette: a modal dialog (the page behind is inert, so the focus stays inside) with the search view or
 * one tool's form. Escape goes back from a tool to the list, and closes the list.
 */
function PaletteDialog({ workspace }: { workspace: string }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const navigate = useNavigate();
  const [text, setText] = useState('');
  const [tool, setTool] = useState<ToolDescriptor | null>(null);

  useLayoutEffect(() => {
    const element = dialog.current;
    const { returnFocus } = usePaletteStore.getState();
    element?.showModal();
    // A layout cleanup runs while the dialog is still in the page: closed first, the page is no longer inert and
    // what had the focus can take it back.
    return () => {
      element?.close();
      if (returnFocus?.isConnected) returnFocus.focus();
    };
  }, []);

  const choose = (choice: PaletteChoice) => {
    if (choice.kind === 'tool') {
      setTool(choice.tool);
      return;
    }
    closePalette();
    navigate(choice.to);
  };

  // Escape goes back one step: from a tool to the list, from the list out. The dialog's own cancel would close it
  // from a tool's form too; it still comes (instead of the key) when the focus is on nothing in the dialog.
  const back = () => (tool ? setTool(null) : closePalette());
  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    back();
  };

  return (
    <dialog
      ref={dialog}
      className="wb-palette"
      aria-label="Command palette"
      data-testid="command-palette"
      onKeyDown={onKeyDown}
      onCancel={(event) => {
        event.preventDefault();
        back();
      }}
      onClose={() => usePaletteStore.getState().open && closePalette()}
      onClick={(event) => event.target === dialog.current && closePalette()}
    >
      <div className="wb-palette-body">
        {tool ? (
          <ToolPanel key={tool.id} workspace={workspace} tool={tool} onBack={() => setTool(null)} />
        ) : (
          <PaletteSearch workspace={workspace} text={text} onText={setText} onChoose={choose} />
        )}
      </div>
    </dialog>
  );
}

/** The command palette of a workspace's pages: Ctrl+K (⌘K) opens it; it lists the tools and searches the catalog. */
export function CommandPalette({ workspace }: { workspace: string }) {
  usePaletteShortcut();
  const open = usePaletteStore((s) => s.open);
  return open ? <PaletteDialog workspace={workspace} /> : null;
}
