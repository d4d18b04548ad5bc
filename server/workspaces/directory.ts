import path from 'node:path';
import type { Logger } from 'pino';
import type { Database } from '../db/database.ts';
import { HttpError } from '../http/errors.ts';
import { loadWorkspaces, type Workspace } from './config.ts';
import { projectFolderProblem, type ReservedFolder } from './project-folder.ts';
import { createWorkspaceStore, type StoredWorkspace } from './store.ts';

/** Where a workspace's definition comes from. */
export type WorkspaceSource = 'file' | 'app' | 'file-changed-in-app';

export interface ListedWorkspace {
  workspace: Workspace;
  source: WorkspaceSource;
}

/**
 * The workspaces in effect: the file seeds, the database wins. A database row replaces the file's entry of its name
 * (or hides it, when removed); rows of other names are workspaces added in the app, listed after the file's. Pure.
 */
export function combineWorkspaces(
  fromFile: readonly Workspace[],
  stored: readonly StoredWorkspace[],
): ListedWorkspace[] {
  const rows = new Map(stored.map((s) => [s.workspace.name, s]));
  const inFile = new Set(fromFile.map((w) => w.name));
  const listed: ListedWorkspace[] = [];
  for (const workspace of fromFile) {
    const row = rows.get(workspace.name);
    if (!row) listed.push({ workspace, source: 'file' });
    else if (!row.removedAt) listed.push({ workspace: row.workspace, source: 'file-changed-in-app' });
  }
  for (const row of stored)
    if (!inFile.has(row.workspace.name) && !row.removedAt) listed.push({ workspace: row.workspace, source: 'app' });
  return listed;
}

/** What changed; `previous` is the definition before a change (a re-pointed folder, a new title). */
export type WorkspaceChange =
  | { kind: 'added'; workspace: Workspace }
  | { kind: 'changed'; workspace: Workspace; previous: Workspace }
  | { kind: 'removed'; workspace: Workspace };

/** What an admin gives for a new workspace; the rest takes the workspaces file's defaults. */
export interface NewWorkspace {
  name: string;
  title: string;
  projectDir: string;
}

export interface WorkspaceDirectory {
  /**
   * Every workspace in effect. The same array for the app's whole life, updated in place by every change, so a
   * feature that looks a workspace up when it needs one always finds the current one; a feature that keeps
   * something per workspace (artifact stores, watchers) subscribes with `onChange`.
   */
  readonly all: readonly Workspace[];
  /** Every workspace with where its definition comes from. */
  listing(): ListedWorkspace[];
  add(input: NewWorkspace, actorId: string): Promise<Workspace>;
  /** A new title, or the project folder pointed elsewhere (its target and seeds folders move with it). */
  update(name: string, patch: { title?: string; projectDir?: string }, actorId: string): Promise<Workspace>;
  /** Removes the workspace from the app; its folder on disk is left as it is. */
  remove(name: string, actorId: string): Promise<Workspace>;
  /** Calls `listener` after every change, one change at a time; the change's request waits for it. */
  onChange(listener: (change: WorkspaceChange) => Promise<void> | void): () => void;
}

export interface WorkspaceDirectoryOptions {
  /** The workspaces file (WORKBENCH_CONFIG). */
  file: string;
  db: Database;
  /** Folders a workspace may not point at: the app's data and plugins folders. */
  reserved: readonly ReservedFolder[];
  logger: Logger;
}

/** Reads the workspaces file and the database's workspaces, and keeps them in step as admins change them. */
export async function openWorkspaceDirectory(options: WorkspaceDirectoryOptions): Promise<WorkspaceDirectory> {
  const fromFile = loadWorkspaces(options.file);
  const store = createWorkspaceStore(options.db);
  let listed = combineWorkspaces(fromFile, await store.list());
  const all: Workspace[] = listed.map((l) => l.workspace);
  const listeners = new Set<(change: WorkspaceChange) => Promise<void> | void>();
  let queue: Promise<unknown> = Promise.resolve();

  /** Runs changes one after another, so two admins adding the same name cannot both succeed. */
  function serially<T>(work: () => Promise<T>): Promise<T> {
    const next = queue.then(work);
    queue = next.catch(() => undefined);
    return next;
  }

  async function reload(change: WorkspaceChange): Promise<void> {
    listed = combineWorkspaces(fromFile, await store.list());
    all.splice(0, all.length, ...listed.map((l) => l.workspace));
    for (const listener of listeners) {
      try {
        await listener(change);
      } catch (error) {
        options.logger.error(
          { err: error, workspace: change.workspace.name },
          `workspace ${change.kind}: a follower failed`,
        );
      }
    }
  }

  function existing(name: string): Workspace {
    const workspace = all.find((w) => w.name === name);
    if (!workspace) throw new HttpError('workspace_not_found', `No workspace named "${name}"`);
    return workspace;
  }

  async function checkFolder(projectDir: string): Promise<void> {
    const problem = await projectFolderProblem(projectDir, options.reserved);
    if (problem) throw new HttpError('bad_request', problem, { field: 'projectDir' });
  }

  return {
    all,
    listing: () => [...listed],
    add: (input, actorId) =>
      serially(async () => {
        if (all.some((w) => w.name === input.name))
          throw new HttpError('conflict', `A workspace named "${input.name}" exists already`);
        await checkFolder(input.projectDir);
        const projectDir = path.resolve(input.projectDir);
        const workspace: Workspace = {
          name: input.name,
          title: input.title,
          projectDir,
          targetDir: path.join(projectDir, 'target'),
          seedsDir: path.join(projectDir, 'seeds'),
          runCommand: ['dbt', 'build'],
        };
        await store.save(workspace, actorId);
        await reload({ kind: 'added', workspace });
        return existing(workspace.name);
      }),
    update: (name, patch, actorId) =>
      serially(async () => {
        const previous = existing(name);
        if (patch.projectDir !== undefined) await checkFolder(patch.projectDir);
        const projectDir = patch.projectDir === undefined ? previous.projectDir : path.resolve(patch.projectDir);
        const moved = (folder: string) => path.resolve(projectDir, path.relative(previous.projectDir, folder));
        const workspace: Workspace = {
          ...previous,
          title: patch.title ?? previous.title,
          projectDir,
          targetDir: moved(previous.targetDir),
          seedsDir: moved(previous.seedsDir),
        };
        await store.save(workspace, actorId);
        await reload({ kind: 'changed', workspace, previous });
        return existing(name);
      }),
    remove: (name, actorId) =>
      serially(async () => {
        const workspace = existing(name);
        if (all.length === 1)
          throw new HttpError('conflict', `"${name}" is the only workspace; add another before removing it`);
        await store.markRemoved(workspace, actorId);
        await reload({ kind: 'removed', workspace });
        return workspace;
      }),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
