import { create } from 'zustand';
import { DEFAULT_ROW_LIMIT, type SqlQueryResult } from '@dbt-workbench/plugin-sdk/contracts/sql.schema';

/** The saved query the editor holds, so "Save" can overwrite it. */
export interface OpenedQuery {
  id: string;
  name: string;
  /** Its SQL as last saved: the editor text differs from it when there are unsaved changes. */
  sql: string;
}

/** The outcome of the last run: rows, or the server's error. */
export type LastRun =
  | { kind: 'rows'; result: SqlQueryResult; runId: number; sql: string }
  | { kind: 'error'; code: string; message: string };

/** One workspace's SQL editor: what survives leaving the page and coming back. */
export interface SqlDraft {
  sql: string;
  limit: number;
  opened: OpenedQuery | null;
  lastRun: LastRun | null;
}

export const emptyDraft: SqlDraft = { sql: '', limit: DEFAULT_ROW_LIMIT, opened: null, lastRun: null };

interface SqlStore {
  /** By `draftKey(user, workspace)`. */
  drafts: Record<string, SqlDraft>;
  /** Changes some fields of one draft. */
  update(key: string, change: Partial<SqlDraft>): void;
}

/** Drafts belong to a user in a workspace, so signing out and in as someone else in the same tab shows theirs. */
export function draftKey(userId: string, workspace: string): string {
  return `${userId}/${workspace}`;
}

/**
 * The SQL editor's state per user and workspace for the browser session: navigating away and back finds the
 * text, the open saved query, the row limit and the last result as they were.
 */
export const useSqlStore = create<SqlStore>()((set) => ({
  drafts: {},
  update: (key, change) =>
    set((state) => ({ drafts: { ...state.drafts, [key]: { ...(state.drafts[key] ?? emptyDraft), ...change } } })),
}));
