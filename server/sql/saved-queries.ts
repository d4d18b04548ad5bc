import { randomUUID } from 'node:crypto';
import type { SavedQuery, SavedQueryBody } from '@dbt-workbench/plugin-sdk/contracts/sql.schema';
import type { Database } from '../db/database.ts';

interface Row {
  id: string;
  name: string;
  sql: string;
  created_at: string;
  updated_at: string;
}

const columns = 'id, name, sql, created_at, updated_at';

function toSavedQuery(row: Row): SavedQuery {
  return { id: row.id, name: row.name, sql: row.sql, createdAt: row.created_at, updatedAt: row.updated_at };
}

/** Whose queries, in which workspace: every call is scoped to one owner, who sees and changes only their own. */
export interface Owner {
  workspace: string;
  userId: string;
}

/** Thrown when the owner already has a query with that name in the workspace. */
export class DuplicateNameError extends Error {}

/** Saved SQL queries in the `saved_queries` table, one set per user and workspace. */
export function createSavedQueries(db: Database) {
  async function nameTaken(tx: Database, owner: Owner, name: string, exceptId: string | null): Promise<boolean> {
    const row = await tx.get<{ id: string }>(
      'SELECT id FROM saved_queries WHERE workspace = ? AND user_id = ? AND name = ?',
      [owner.workspace, owner.userId, name],
    );
    return row !== undefined && row.id !== exceptId;
  }

  return {
    /** The owner's queries, by name. */
    async list(owner: Owner): Promise<SavedQuery[]> {
      const rows = await db.all<Row>(
        `SELECT ${columns} FROM saved_queries WHERE workspace = ? AND user_id = ? ORDER BY name`,
        [owner.workspace, owner.userId],
      );
      return rows.map(toSavedQuery);
    },

    /** Saves a new query. Throws `DuplicateNameError` when the name is taken. */
    async create(owner: Owner, body: SavedQueryBody): Promise<SavedQuery> {
      return db.transaction(async (tx) => {
        if (await nameTaken(tx, owner, body.name, null)) throw new DuplicateNameError(body.name);
        const now = new Date().toISOString();
        const query: SavedQuery = { id: randomUUID(), name: body.name, sql: body.sql, createdAt: now, updatedAt: now };
        await tx.run(
          'INSERT INTO saved_queries (id, workspace, user_id, name, sql, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
          [query.id, owner.workspace, owner.userId, query.name, query.sql, now, now],
        );
        return query;
      });
    },

    /** Overwrites the name and SQL of the owner's query; undefined when they have none with this id. */
    async update(owner: Owner, id: string, body: SavedQueryBody): Promise<SavedQuery | undefined> {
      return db.transaction(async (tx) => {
        if (await nameTaken(tx, owner, body.name, id)) throw new DuplicateNameError(body.name);
        const now = new Date().toISOString();
        const result = await tx.run(
          'UPDATE saved_queries SET name = ?, sql = ?, updated_at = ? WHERE id = ? AND workspace = ? AND user_id = ?',
          [body.name, body.sql, now, id, owner.workspace, owner.userId],
        );
        if (result.changes === 0) return undefined;
        const row = await tx.get<Row>(`SELECT ${columns} FROM saved_queries WHERE id = ?`, [id]);
        return row && toSavedQuery(row);
      });
    },

    /** Deletes the owner's query; false when they have none with this id. */
    async remove(owner: Owner, id: string): Promise<boolean> {
      const result = await db.run('DELETE FROM saved_queries WHERE id = ? AND workspace = ? AND user_id = ?', [
        id,
        owner.workspace,
        owner.userId,
      ]);
      return result.changes > 0;
    },
  };
}

export type SavedQueries = ReturnType<typeof createSavedQueries>;
