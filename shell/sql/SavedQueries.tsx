import { useState } from 'react';
import type { SavedQuery } from '@dbt-workbench/plugin-sdk/contracts/sql.schema';
import { useSavedQueries, useSavedQueryMutations } from './api.ts';

export interface SavedQueriesProps {
  workspace: string;
  /** The id of the saved query the editor holds, if any. */
  openedId: string | null;
  onOpen(query: SavedQuery): void;
  onDeleted(id: string): void;
}

/** The user's saved queries in this workspace: open one into the editor, or delete it after confirming. */
export function SavedQueries({ workspace, openedId, onOpen, onDeleted }: SavedQueriesProps) {
  const saved = useSavedQueries(workspace);
  const { remove } = useSavedQueryMutations(workspace);
  const [confirming, setConfirming] = useState<string | null>(null);

  let body;
  if (saved.isPending) body = <p className="wb-loading">Loading saved queries…</p>;
  else if (saved.isError)
    body = <div className="wb-plugin-error">Could not list your saved queries: {saved.error.message}</div>;
  else if (saved.data.queries.length === 0)
    body = <p className="wb-muted wb-sql-hint">None yet. Write a query and choose “Save as…” to keep it here.</p>;
  else
    body = (
      <ul className="wb-sql-saved" aria-label="Saved queries">
        {saved.data.queries.map((query) => (
          <li key={query.id} className={query.id === openedId ? 'wb-sql-saved-open' : undefined}>
            {confirming === query.id ? (
              <div className="wb-sql-confirm" role="alertdialog" aria-label={`Delete ${query.name}?`}>
                <span>
                  Delete <strong>{query.name}</strong>?
                </span>
                <span className="wb-sql-confirm-actions">
                  <button
                    type="button"
                    className="wb-button wb-sql-danger"
                    disabled={remove.isPending}
                    onClick={() =>
                      remove.mutate(query.id, {
                        onSuccess: () => {
                          setConfirming(null);
                          onDeleted(query.id);
                        },
                      })
                    }
                  >
                    Delete
                  </button>
                  <button type="button" className="wb-button" onClick={() => setConfirming(null)}>
                    Cancel
                  </button>
                </span>
              </div>
            ) : (
              <div className="wb-sql-tree-row">
                <button
                  type="button"
                  className="wb-sql-name wb-sql-saved-name"
                  title={query.sql}
                  onClick={() => onOpen(query)}
                >
                  {query.name}
                </button>
                <button
                  type="button"
                  className="wb-link-button wb-sql-delete"
                  aria-label={`Delete ${query.name}`}
                  onClick={() => {
                    remove.reset();
                    setConfirming(query.id);
                  }}
                >
                  Delete
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
    );

  return (
    <section className="wb-card wb-sql-side" aria-label="Saved queries">
      <h2 className="wb-card-title">Saved queries</h2>
      {remove.isError && (
        <p className="wb-form-error" role="alert">
          Could not delete: {remove.error.message}
        </p>
      )}
      {body}
    </section>
  );
}
