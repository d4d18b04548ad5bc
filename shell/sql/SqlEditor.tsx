import { autocompletion, closeCompletion } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { PostgreSQL, sql, type SQLNamespace } from '@codemirror/lang-sql';
import { bracketMatching, defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { Compartment, EditorState, Prec } from '@codemirror/state';
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
  placeholder,
} from '@codemirror/view';
import { useEffect, useImperativeHandle, useRef, type Ref } from 'react';

/** What the page can do to the editor from outside. */
export interface SqlEditorHandle {
  /** Inserts text at the cursor (replacing the selection) and focuses the editor. */
  insert(text: string): void;
  focus(): void;
}

export interface SqlEditorProps {
  value: string;
  onChange(value: string): void;
  /** Ctrl+Enter (Cmd+Enter on a Mac). */
  onRun(): void;
  /** Table name to column names, for completion. */
  schema: SQLNamespace;
  ref?: Ref<SqlEditorHandle>;
}

const theme = EditorView.theme({
  '&': { fontSize: '13px', minHeight: '180px', maxHeight: '45vh' },
  '.cm-scroller': { fontFamily: 'var(--wb-mono)', lineHeight: '1.5' },
  '.cm-content': { padding: '8px 0' },
  '.cm-gutters': { background: '#fafbfc', borderRight: '1px solid var(--wb-border)', color: '#98a2b3' },
  '&.cm-focused': { outline: 'none' },
});

/** DuckDB reads closest to PostgreSQL; its keywords drive highlighting and keyword completion. */
function language(schema: SQLNamespace) {
  return sql({ dialect: PostgreSQL, schema, upperCaseKeywords: false });
}

/** A CodeMirror 6 SQL editor as a controlled React component. */
export function SqlEditor({ value, onChange, onRun, schema, ref }: SqlEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const languageSlot = useRef(new Compartment());
  // The view is made once; these refs let its callbacks reach the latest props.
  const latest = useRef({ onChange, onRun });
  latest.current = { onChange, onRun };

  useEffect(() => {
    const editor = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          Prec.highest(
            keymap.of([
              {
                key: 'Mod-Enter',
                run: (v) => {
                  closeCompletion(v);
                  latest.current.onRun();
                  return true;
                },
                preventDefault: true,
              },
            ]),
          ),
          keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
          lineNumbers(),
          highlightActiveLineGutter(),
          highlightActiveLine(),
          drawSelection(),
          bracketMatching(),
          history(),
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          autocompletion(),
          languageSlot.current.of(language(schema)),
          placeholder('select * from raw_customers limit 10'),
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({ 'aria-label': 'SQL editor' }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) latest.current.onChange(update.state.doc.toString());
          }),
          theme,
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // Created once: later value and schema changes go through the effects below.
  }, []);

  // A value set from outside (opening a saved query) replaces the text; typing does not loop back here.
  useEffect(() => {
    const editor = view.current;
    if (!editor || editor.state.doc.toString() === value) return;
    editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({ effects: languageSlot.current.reconfigure(language(schema)) });
  }, [schema]);

  useImperativeHandle(ref, () => ({
    insert(text) {
      const editor = view.current;
      if (!editor) return;
      editor.dispatch(editor.state.replaceSelection(text), { scrollIntoView: true, userEvent: 'input' });
      editor.focus();
    },
    focus() {
      view.current?.focus();
    },
  }));

  return <div className="wb-sql-editor" ref={host} data-testid="sql-editor" />;
}
