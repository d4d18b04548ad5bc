import { describe, expect, test } from 'vitest';
import type { Workspace } from './config.ts';
import { combineWorkspaces } from './directory.ts';
import type { StoredWorkspace } from './store.ts';

const workspace = (name: string, projectDir = `/file/${name}`): Workspace => ({
  name,
  title: name,
  projectDir,
  targetDir: `${projectDir}/target`,
  seedsDir: `${projectDir}/seeds`,
  runCommand: ['dbt', 'build'],
});
const stored = (w: Workspace, removedAt: string | null = null): StoredWorkspace => ({
  workspace: w,
  updatedAt: '2026-01-01T00:00:00.000Z',
  removedAt,
});

describe('the file seeds, the database wins', () => {
  test('file entries without a row follow the file; a row replaces its entry, or hides it when removed', () => {
    const listed = combineWorkspaces(
      [workspace('a'), workspace('b'), workspace('c')],
      [stored(workspace('b', '/moved/b')), stored(workspace('c'), '2026-01-02T00:00:00.000Z')],
    );
    expect(listed.map((l) => [l.workspace.name, l.source, l.workspace.projectDir])).toEqual([
      ['a', 'file', '/file/a'],
      ['b', 'file-changed-in-app', '/moved/b'],
    ]);
  });

  test('rows of other names are workspaces added in the app, after the file, unless removed', () => {
    const listed = combineWorkspaces(
      [workspace('a')],
      [stored(workspace('new', '/app/new')), stored(workspace('gone', '/app/gone'), '2026-01-02T00:00:00.000Z')],
    );
    expect(listed.map((l) => [l.workspace.name, l.source])).toEqual([
      ['a', 'file'],
      ['new', 'app'],
    ]);
  });
});
