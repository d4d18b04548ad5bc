import { useMutation } from '@tanstack/react-query';
import { useMemo, useRef, useState, type FormEvent } from 'react';
import { DEFAULT_ROW_LIMIT, MAX_ROW_LIMIT, type SavedQuery } from '@dbt-workbench/plugin-sdk/contracts/sql.schema';
import { ApiError } from '../api/client.ts';
import { useMe } from '../auth/session.ts';
import { ExtensionSlot } from '../extensions/slots.tsx';
import { useWorkspace } from '../workspaces/workspace-context.tsx';
import { runQuery, useSavedQueryMutations, useSqlTables } from './api.ts';
import { ResultsTable } from './ResultsTable.tsx';
import { SavedQueries } from './SavedQueries.tsx';
import { SchemaBrowser } from './SchemaBrowser.tsx';
import { SqlEditor, type SqlEditorHandle } from './SqlEditor.tsx';
import { SqlTemplates } from './SqlTemplates.tsx';
import { draftKey, emptyDraft, useSqlStore, type SqlDraft } from './store.ts';
import './sql.css';

const rowLimits = [100, DEFAULT_ROW_LIMIT, MAX_ROW_LIMIT];
const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const runShortcut = isMac ? '⌘ Enter' : 'Ctrl Enter';

function SaveAsForm({
  workspace,
  sql,
  onSaved,
  onCancel,
}: {
  workspace: string;
  sql: string;
  onSaved(query: SavedQuery): void;
  onCancel(): void;
}) {
  const { save } = useSavedQueryMutations(workspace);
  const [name, setName] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ name, sql }, { onSuccess: onSaved });
  };
  return (
    <form className="wb-sql-save-as" onSubmit={submit} aria-label="Save query as">
      <label>
        Name of the saved query
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} autoFocus />
      </label>
      <button type="submit" className="wb-button wb-button-primary" disabled={save.isPending || !sql.trim()}>
        Save
      </button>
      <button type="button" className="wb-button" onClick={onCancel}>
        Cancel
      </button>
      {!sql.trim() && <p className="wb-form-error">Write a query first: there is nothing to save.</p>}
      {save.isError && (
        <p className="wb-form-error" role="alert">
          {save.error.message}
        </p>
      )}
    </form>
  );
}

function Editor({ workspace, userId }: { workspace: string; userId: string }) {
  const key = draftKey(userId, workspace);
  const draft = useSqlStore((state) => state.drafts[key] ?? emptyDraft);
  const update = useSqlStore((state) => state.update);
  const set = (change: Partial<SqlDraft>) => update(key, change);
  const editor = useRef<SqlEditorHandle>(null);
  const [savingAs, setSavingAs] = useState(false);
  const { save } = useSavedQueryMutations(workspace);
  const tables = useSqlTables(workspace);
  const schema = useMemo(() => {
    const models = tables.data?.models.available ? tables.data.models.tables : [];
    return Object.fromEntries([
      ...models.map((t) => [t.reference, t.columns.map((c) => c.name)] as const),
      ...(tables.data?.tables ?? []).map((t) => [t.name, t.columns.map((c) => c.name)] as const),
    ]);
  }, [tables.data]);

  const run = useMutation({
    mutationFn: (body: { sql: string; limit: number }) => runQuery(workspace, body),
    onSuccess: (result, body) => update(key, { lastRun: { kind: 'rows', result, runId: Date.now(), sql: body.sql } }),
    onError: (error) =>
      update(key, {
        lastRun: {
          kind: 'error',
          code: error instanceof ApiError ? error.code : 'network_error',
          message: error.message,
        },
      }),
  });
  // Read at call time: Ctrl+Enter fires from the editor with whatever the store holds now.
  const start = () => {
    const current = useSqlStore.getState().drafts[key] ?? emptyDraft;
    if (!current.sql.trim() || run.isPending) return;
    run.mutate({ sql: current.sql, limit: current.limit });
  };

  const dirty = draft.opened !== null && draft.opened.sql !== draft.sql;
  const overwrite = () => {
    const opened = draft.opened;
    if (!opened) return;
    save.mutate(
      { id: opened.id, name: opened.name, sql: draft.sql },
      { onSuccess: (saved) => set({ opened: { id: saved.id, name: saved.name, sql: saved.sql } }) },
    );
  };
  const open = (query: SavedQuery) => {
    save.reset();
    set({ sql: query.sql, opened: { id: query.id, name: query.name, sql: query.sql } });
    editor.current?.focus();
  };

  const lastRun = draft.lastRun;
  return (
    <div className="wb-sql-layout">
      <aside className="wb-sql-aside">
        <SqlTemplates
          onUse={(sql) => {
            set({ sql, opened: null });
            editor.current?.focus();
          }}
        />
        <SchemaBrowser workspace={workspace} onInsert={(text) => editor.current?.insert(text)} />
        <SavedQueries
          workspace={workspace}
          openedId={draft.opened?.id ?? null}
          onOpen={open}
          onDeleted={(id) => {
            if (draft.opened?.id === id) set({ opened: null });
          }}
        />
      </aside>
      <div className="wb-sql-work">
        <section className="wb-card wb-sql-editor-card">
          <div className="wb-sql-toolbar">
            <button
              type="button"
              className="wb-button wb-button-primary"
              onClick={start}
              disabled={run.isPending || !draft.sql.trim()}
              title={`Run (${runShortcut})`}
            >
              {run.isPending ? 'Running…' : 'Run'}
            </button>
            <span className="wb-muted wb-sql-shortcut">{runShortcut}</span>
            <label className="wb-sql-limit">
              Row limit
              <select value={draft.limit} onChange={(e) => set({ limit: Number(e.target.value) })}>
                {rowLimits.map((n) => (
                  <option key={n} value={n}>
                    {n.toLocaleString('en-US')}
                  </option>
                ))}
              </select>
            </label>
            <ExtensionSlot
              slot="sql.control"
              frame="bare"
              slotProps={{ sql: draft.sql, setSql: (sql: string) => set({ sql }), run: start, running: run.isPending }}
            />
            <span className="wb-sql-spacer" />
            {draft.opened && (
              <span className="wb-sql-opened" data-testid="sql-opened">
                <span className="wb-muted">Saved query</span> {draft.opened.name}
                {dirty && <span className="wb-badge wb-badge-warn">unsaved changes</span>}
              </span>
            )}
            {draft.opened && (
              <button
                type="button"
                className="wb-button"
                onClick={overwrite}
                disabled={!dirty || save.isPending}
                title={`Overwrite "${draft.opened.name}" with the editor's text`}
              >
                Save changes
              </button>
            )}
            <button type="button" className="wb-button" onClick={() => setSavingAs(true)} disabled={savingAs}>
              Save as…
            </button>
            <button
              type="button"
              className="wb-button"
              onClick={() => {
                set({ sql: '', opened: null });
                editor.current?.focus();
              }}
              disabled={!draft.sql && !draft.opened}
            >
              New
            </button>
          </div>
          {savingAs && (
            <SaveAsForm
              workspace={workspace}
              sql={draft.sql}
              onCancel={() => setSavingAs(false)}
              onSaved={(saved) => {
                setSavingAs(false);
                set({ opened: { id: saved.id, name: saved.name, sql: saved.sql } });
              }}
            />
          )}
          {save.isError && !savingAs && (
            <p className="wb-form-error" role="alert">
              Could not save: {save.error.message}
            </p>
          )}
          <SqlEditor ref={editor} value={draft.sql} onChange={(sql) => set({ sql })} onRun={start} schema={schema} />
        </section>
        {lastRun?.kind === 'error' && (
          <div className="wb-plugin-error wb-sql-error" role="alert" data-testid="sql-error">
            <strong>{lastRun.code === 'sql_timeout' ? 'The query took too long' : 'The query failed'}</strong>
            <pre>{lastRun.message}</pre>
          </div>
        )}
        {lastRun?.kind === 'rows' && <ResultsTable key={lastRun.runId} result={lastRun.result} />}
        <ExtensionSlot
          slot="sql.panel"
          slotProps={{
            sql: lastRun?.kind === 'rows' ? lastRun.sql : draft.sql,
            result: lastRun?.kind === 'rows' ? lastRun.result : null,
          }}
        />
        {!lastRun && (
          <div className="wb-empty wb-sql-empty">
            Run a query to see its rows here. The workspace’s models and seed CSVs are tables; click a name on the left
            to insert it.
          </div>
        )}
      </div>
    </div>
  );
}

/** `/w/:workspace/sql`: write and run SQL against the workspace's models and seeds in DuckDB, and keep queries. */
export function SqlPage() {
  const workspace = useWorkspace();
  const me = useMe();
  return (
    <div className="wb-page wb-sql-page">
      <header className="wb-page-header">
        <h1>SQL</h1>
        <p className="wb-muted">Query the models and seeds of {workspace.title} in an embedded DuckDB.</p>
      </header>
      {workspace.role === 'viewer' ? (
        <div className="wb-empty" data-testid="sql-forbidden">
          The SQL workspace needs the developer role in {workspace.title}; you are a viewer. Ask a workspace admin.
        </div>
      ) : me.data ? (
        <Editor workspace={workspace.name} userId={me.data.user.id} />
      ) : (
        <p className="wb-loading">Loading…</p>
      )}
    </div>
  );
}
