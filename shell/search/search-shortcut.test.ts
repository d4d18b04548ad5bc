import { describe, expect, it } from 'vitest';
import { isSearchShortcut, isTypingTarget } from './search-shortcut.ts';

const key = (key: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey', boolean>> = {}) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
});

describe('the search shortcut', () => {
  it('is / alone, Ctrl+K or ⌘K', () => {
    expect(isSearchShortcut(key('/'))).toBe(true);
    expect(isSearchShortcut(key('k', { ctrlKey: true }))).toBe(true);
    expect(isSearchShortcut(key('K', { metaKey: true }))).toBe(true);
  });

  it('is not a plain k, Ctrl+/ or an Alt combination', () => {
    expect(isSearchShortcut(key('k'))).toBe(false);
    expect(isSearchShortcut(key('/', { ctrlKey: true }))).toBe(false);
    expect(isSearchShortcut(key('k', { ctrlKey: true, altKey: true }))).toBe(false);
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
