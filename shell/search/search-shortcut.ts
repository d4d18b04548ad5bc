import { useEffect } from 'react';
import { useNavigate } from 'react-router';
import { workspacePath } from '../workspaces/workspace-context.tsx';

/** The id of the catalog search box, which the shortcut focuses. */
export const searchBoxId = 'wb-catalog-search';

/** What the search shortcut is, for hints and `aria-keyshortcuts`. */
export const searchShortcutKeys = '/';

/** What the command palette's shortcut is, for hints and `aria-keyshortcuts`. */
export const paletteShortcutKeys = 'Control+K Meta+K';

type ShortcutEvent = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey'>;

/** The key that opens the catalog search page: `/` alone. */
export function isSearchShortcut(event: ShortcutEvent): boolean {
  return event.key === '/' && !event.ctrlKey && !event.metaKey && !event.altKey;
}

/**
 * The keys that open the command palette (tools and catalog search in one box): Ctrl+K, or ⌘K on a Mac. Unlike `/`
 * they type nothing, so they work from inside a field too.
 */
export function isPaletteShortcut(event: ShortcutEvent): boolean {
  return !event.altKey && (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k';
}

interface TargetLike {
  tagName?: string;
  isContentEditable?: boolean;
  closest?(selector: string): unknown;
}

/** Whether a key press goes to something the user types in (a field, a select, an editor): it is theirs then. */
export function isTypingTarget(target: TargetLike | null): boolean {
  if (!target) return false;
  const tag = target.tagName?.toLowerCase();
  if (tag === 'input' || tag === 'textarea' || tag === 'select') return true;
  if (target.isContentEditable) return true;
  return Boolean(target.closest?.('[contenteditable=""], [contenteditable="true"], [role="textbox"], .cm-editor'));
}

/**
 * `/`, pressed anywhere in a workspace outside a field or editor, focuses the catalog search box, opening the search
 * page first when another page is shown.
 */
export function useSearchShortcut(workspace: string): void {
  const navigate = useNavigate();
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || !isSearchShortcut(event) || isTypingTarget(event.target as TargetLike)) return;
      event.preventDefault();
      const box = document.getElementById(searchBoxId);
      if (box instanceof HTMLInputElement) {
        box.focus();
        box.select();
      } else {
        // The search page focuses its box when it opens.
        navigate(workspacePath(workspace, 'search'));
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [navigate, workspace]);
}

/** Mounts the search shortcut for a workspace's pages. */
export function SearchShortcut({ workspace }: { workspace: string }): null {
  useSearchShortcut(workspace);
  return null;
}
