import { describe, expect, it } from 'vitest';
import { isPaletteShortcut, isSearchShortcut, isTypingTarget } from './search-shortcut.ts';

const key = (key: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey', boolean>> = {}) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
});

describe('the search and palette shortcuts', () => {
  it('search is / alone', () => {
    expect(isSearchShortcut(key('/'))).toBe(true);
    expect(isSearchShortcut(key('/', { ctrlKey: true }))).toBe(false);
    expect(isSearchShortcut(key('/', { altKey: true }))).toBe(false);
    expect(isSearchShortcut(key('k', { ctrlKey: true }))).toBe(false);
  });

  it('the palette is Ctrl+K or ⌘K, not a plain k, Ctrl+/ or an Alt combination', () => {
    expect(isPaletteShortcut(key('k', { ctrlKey: true }))).toBe(true);
    expect(isPaletteShortcut(key('K', { metaKey: true }))).toBe(true);
    expect(isPaletteShortcut(key('k'))).toBe(false);
    expect(isPaletteShortcut(key('/', { ctrlKey: true }))).toBe(false);
    expect(isPaletteShortcut(key('k', { ctrlKey: true, altKey: true }))).toBe(false);
  });

  it('leaves fields, selects and editors to the user', () => {
    expect(isTypingTarget({ tagName: 'INPUT' })).toBe(true);
    expect(isTypingTarget({ tagName: 'TEXTAREA' })).toBe(true);
    expect(isTypingTarget({ tagName: 'SELECT' })).toBe(true);
    expect(isTypingTarget({ tagName: 'DIV', isContentEditable: true })).toBe(true);
    // A CodeMirror editor's inner elements.
    expect(isTypingTarget({ tagName: 'SPAN', closest: (s) => (s.includes('.cm-editor') ? {} : null) })).toBe(true);
    expect(isTypingTarget({ tagName: 'BODY', closest: () => null })).toBe(false);
    expect(isTypingTarget({ tagName: 'BUTTON', closest: () => null })).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});
