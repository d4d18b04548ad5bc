import path from 'node:path';
import type { Database } from '../db/database.ts';
import { resolveWorkspace, type Workspace } from './config.ts';

/** A workspace as the database keeps it: added or changed in the app, or a removed one (`removedAt`). */
export interface StoredWorkspace {
  workspace: Workspace;
  updatedAt: string;
  /** When an admin removed it; the row stays so the workspaces file's entry of that name does not come back. */
  removedAt: string | null;
}

interface WorkspaceRow {
  name: string;
  title: string;
  project_dir: string;
  target_dir: string;
  seeds_dir: string;
  run_command: string;
  updated_at: string;
  removed_at: string | null;
}

const toStored = (row: WorkspaceRow): StoredWorkspace => ({
  workspace: resolveWorkspace(
    {
      name: row.name,
      title: row.title,
      projectDir: row.project_dir,
      targetDir: row.target_dir,
      seedsDir: row.seeds_dir,
      runCommand: JSON.parse(row.run_command) as string[],
    },
    row.project_dir,
  ),
  updatedAt: row.updated_at,
  removedAt: row.removed_at,
});

/** The `workspaces` table: what admins added, changed or removed in the app (migration 12). */
export function createWorkspaceStore(db: Database) {
  return {
    async list(): Promise<StoredWorkspace[]> {
      return (await db.all<WorkspaceRow>('SELECT * FROM workspaces ORDER BY updated_at, name')).map(toStored);
    },

    /** Writes a workspace (a new one, or the app's copy of a changed one); a removed one of that name comes back. */
    async save(workspace: Workspace, actorId: string): Promise<void> {
      // Target and seeds are kept relative, so re-pointing the project folder moves them with it.
      const values = [
        workspace.title,
        workspace.projectDir,
        path.relative(workspace.projectDir, workspace.targetDir) || '.',
        path.relative(workspace.projectDir, workspace.seedsDir) || '.',
        JSON.stringify(workspace.runCommand),
        actorId,
        new Date().toISOString(),
      ];
      await db.run(
        `INSERT INTO workspaces (name, title, project_dir, target_dir, seeds_dir, run_command, updated_by, updated_at, removed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)
         ON CONFLICT (name) DO UPDATE SET title = excluded.title, project_dir = excluded.project_dir,
           target_dir = excluded.target_dir, seeds_dir = excluded.seeds_dir, run_command = excluded.run_command,
           updated_by = excluded.updated_by, updated_at = excluded.updated_at, removed_at = NULL`,
        [workspace.name, ...values],
      );
    },

    /** Marks a workspace removed (keeping its definition), and ends every membership in it. */
    async markRemoved(workspace: Workspace, actorId: string): Promise<void> {
      await this.save(workspace, actorId);
      await db.transaction(async (tx) => {
        await tx.run('UPDATE workspaces SET removed_at = ? WHERE name = ?', [new Date().toISOString(), workspace.name]);
        await tx.run('DELETE FROM workspace_members WHERE workspace = ?', [workspace.name]);
      });
    },
  };
}

export type WorkspaceStore = ReturnType<typeof createWorkspaceStore>;
