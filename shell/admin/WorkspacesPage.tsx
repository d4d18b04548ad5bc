import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { WorkspaceListing } from '../../shared/api.schema.ts';
import * as api from '../../shared/http/workspaces.ts';
import { callApi } from '../api/client.ts';
import { queryKeys } from '../api/queries.ts';
import { meQueryKey } from '../auth/session.ts';
import './admin.css';

const workspacesKey = ['admin', 'workspaces'] as const;

const sourceText: Record<WorkspaceListing['source'], string> = {
  file: 'workspaces file',
  app: 'added here',
  'file-changed-in-app': 'workspaces file, changed here',
};

/** A change to workspaces, then everything that lists them reloads: this page, the sidebar, plugin switches. */
function useWorkspaceChange<T>(run: (input: T) => Promise<{ message: string }>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSettled: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: workspacesKey }),
        client.invalidateQueries({ queryKey: meQueryKey }),
        client.invalidateQueries({ queryKey: queryKeys.plugins }),
      ]),
  });
}

function AddWorkspaceForm() {
  const [name, setName] = useState('');
  const [title, setTitle] = useState('');
  const [projectDir, setProjectDir] = useState('');
  const add = useWorkspaceChange(async () => {
    const added = await callApi(api.addWorkspace, {
      body: { name, ...(title.trim() ? { title } : {}), projectDir },
    });
    setName('');
    setTitle('');
    setProjectDir('');
    return {
      message: added.hasManifest
        ? `Added ${added.title}; its dbt artifacts are loaded.`
        : `Added ${added.title}. It has no target/manifest.json yet: run dbt there (or start a run) and it loads.`,
    };
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate(undefined);
  };
  return (
    <form className="wb-card wb-form wb-admin-form" onSubmit={submit} aria-label="Add a workspace">
      <h2 className="wb-card-title">Add a workspace</h2>
      <div className="wb-form-row">
        <label>
          Name (in URLs)
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            pattern="[a-z0-9]+(-[a-z0-9]+)*"
            title="lowercase letters, digits and single dashes"
            placeholder="jaffle-shop"
          />
        </label>
        <label>
          Title
          <input value={title} onChange={(e) => setTitle(e.target.value)} placeholder="as the name" />
        </label>
        <label className="wb-admin-wide">
          dbt project folder on the server
          <input
            value={projectDir}
            onChange={(e) => setProjectDir(e.target.value)}
            required
            placeholder="/srv/dbt/jaffle-shop (holds dbt_project.yml or target/manifest.json)"
            spellCheck={false}
          />
        </label>
      </div>
      {add.isError && (
        <p className="wb-form-error" role="alert">
          {add.error.message}
        </p>
      )}
      {add.data && !add.isError && (
        <p role="status" className="wb-admin-outcome">
          {add.data.message}
        </p>
      )}
      <button type="submit" className="wb-button wb-button-primary" disabled={add.isPending}>
        Add workspace
      </button>
    </form>
  );
}

/** One workspace: rename, point at another folder, remove. */
function WorkspaceRow({ workspace, only }: { workspace: WorkspaceListing; only: boolean }) {
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(workspace.title);
  const [projectDir, setProjectDir] = useState(workspace.projectDir);
  const params = { workspace: workspace.name };
  const save = useWorkspaceChange(async () => {
    const changes = {
      ...(title !== workspace.title ? { title } : {}),
      ...(projectDir !== workspace.projectDir ? { projectDir } : {}),
    };
    if (Object.keys(changes).length === 0) return { message: 'Nothing changed.' };
    const saved = await callApi(api.updateWorkspace, { params, body: changes });
    setEditing(false);
    return { message: `Saved ${saved.title}.` };
  });
  const remove = useWorkspaceChange(async () => await callApi(api.removeWorkspace, { params }));
  const outcome = save.data ?? remove.data;
  const error = save.error ?? remove.error;
  return (
    <>
      <tr data-testid={`workspace-${workspace.name}`}>
        <td>
          <strong>{workspace.title}</strong>
          <div className="wb-muted wb-workspace-name">{workspace.name}</div>
        </td>
        <td>
          <code className="wb-path">{workspace.projectDir}</code>
        </td>
        <td>
          {workspace.hasManifest ? (
            <span className="wb-badge wb-badge-good">manifest found</span>
          ) : (
            <span className="wb-badge wb-badge-warn">no target/manifest.json yet</span>
          )}
        </td>
        <td className="wb-muted">{sourceText[workspace.source]}</td>
        <td className="wb-user-actions">
          <button type="button" className="wb-button" onClick={() => setEditing(!editing)}>
            Edit
          </button>
          <button
            type="button"
            className="wb-button wb-button-danger"
            disabled={only || remove.isPending}
            title={only ? 'The only workspace cannot be removed' : undefined}
            onClick={() => {
              const question = `Remove the workspace ${workspace.title} from the app? Its members lose access. The folder ${workspace.projectDir} stays on disk as it is.`;
              if (window.confirm(question)) remove.mutate(undefined);
            }}
          >
            Remove
          </button>
        </td>
      </tr>
      {(editing || outcome || error) && (
        <tr className="wb-user-detail">
          <td colSpan={5}>
            {editing && (
              <form
                className="wb-admin-inline-form"
                aria-label={`Edit ${workspace.name}`}
                onSubmit={(event) => {
                  event.preventDefault();
                  save.mutate(undefined);
                }}
              >
                <label>
                  Title
                  <input value={title} onChange={(e) => setTitle(e.target.value)} required />
                </label>
                <label className="wb-admin-wide">
                  dbt project folder
                  <input
                    value={projectDir}
                    onChange={(e) => setProjectDir(e.target.value)}
                    required
                    spellCheck={false}
                  />
                </label>
                <button type="submit" className="wb-button wb-button-primary" disabled={save.isPending}>
                  Save
                </button>
                <button type="button" className="wb-link-button" onClick={() => setEditing(false)}>
                  Cancel
                </button>
              </form>
            )}
            {error && (
              <p className="wb-form-error" role="alert">
                {error.message}
              </p>
            )}
            {outcome && !error && (
              <p role="status" className="wb-admin-outcome">
                {outcome.message}
              </p>
            )}
          </td>
        </tr>
      )}
    </>
  );
}

/** Admin: the workspaces (dbt projects) of this instance; changes apply at once, without a restart. */
export function WorkspacesPage() {
  const list = useQuery({
    queryKey: workspacesKey,
    queryFn: () => callApi(api.listWorkspaces, {}),
  });
  const workspaces = list.data?.workspaces ?? [];
  return (
    <div className="wb-page">
      <header className="wb-page-header">
        <h1>Workspaces</h1>
        <p className="wb-muted">
          Each workspace is one dbt project folder on the server. The workspaces file lists the first ones; what you add
          or change here is kept in the database and wins over the file.
        </p>
      </header>
      {list.isError && <div className="wb-plugin-error">Could not list workspaces: {list.error.message}</div>}
      <div className="wb-table-scroll">
        <table className="wb-table" aria-label="Workspaces">
          <thead>
            <tr>
              <th>Workspace</th>
              <th>dbt project folder</th>
              <th>Artifacts</th>
              <th>Defined in</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {workspaces.map((w) => (
              <WorkspaceRow key={`${w.name}:${w.title}:${w.projectDir}`} workspace={w} only={workspaces.length === 1} />
            ))}
          </tbody>
        </table>
      </div>
      <AddWorkspaceForm />
    </div>
  );
}
