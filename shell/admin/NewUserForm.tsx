import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { WorkspaceRole } from '@dbt-workbench/plugin-sdk/contracts/roles';
import { createUser } from '../../shared/http/users.ts';
import { callApi } from '../api/client.ts';
import { usersKey } from './users-api.ts';

/** Creates a user with a chosen or generated password, and their roles. */
export function NewUserForm({ workspaces }: { workspaces: { name: string; title: string }[] }) {
  const client = useQueryClient();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [isInstanceAdmin, setInstanceAdmin] = useState(false);
  const [roles, setRoles] = useState<Record<string, WorkspaceRole | ''>>({});
  const create = useMutation({
    mutationFn: () =>
      callApi(createUser, {
        body: {
          username,
          ...(displayName.trim() ? { displayName } : {}),
          ...(password ? { password } : {}),
          isInstanceAdmin,
          roles: Object.fromEntries(
            Object.entries(roles).filter((entry): entry is [string, WorkspaceRole] => entry[1] !== ''),
          ),
        },
      }),
    onSuccess: () => {
      setUsername('');
      setDisplayName('');
      setPassword('');
      setInstanceAdmin(false);
      setRoles({});
      return client.invalidateQueries({ queryKey: usersKey });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <form className="wb-card wb-form wb-admin-form" onSubmit={submit} aria-label="New user">
      <h2 className="wb-card-title">New user</h2>
      <div className="wb-form-row">
        <label>
          Username
          <input value={username} onChange={(e) => setUsername(e.target.value)} required />
        </label>
        <label>
          Display name
          <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} placeholder="as the username" />
        </label>
        <label>
          Password (10+ characters)
          <input
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            minLength={10}
            placeholder="empty: generate one"
            autoComplete="new-password"
          />
        </label>
        <label className="wb-switch">
          <input type="checkbox" checked={isInstanceAdmin} onChange={(e) => setInstanceAdmin(e.target.checked)} />
          Instance admin (admin of every workspace)
        </label>
      </div>
      {!isInstanceAdmin && workspaces.length > 0 && (
        <div className="wb-form-row">
          {workspaces.map((w) => (
            <label key={w.name}>
              Role in {w.title}
              <select
                value={roles[w.name] ?? ''}
                onChange={(e) => setRoles({ ...roles, [w.name]: e.target.value as WorkspaceRole | '' })}
              >
                <option value="">none</option>
                {WorkspaceRole.options.map((role) => (
                  <option key={role} value={role}>
                    {role}
                  </option>
                ))}
              </select>
            </label>
          ))}
        </div>
      )}
      {create.isError && (
        <p className="wb-form-error" role="alert">
          {create.error.message}
        </p>
      )}
      {create.data && (
        <p role="status" className="wb-admin-outcome">
          Created {create.data.username}.
          {create.data.generatedPassword && (
            <>
              {' '}
              Their password, shown only now: <code className="wb-secret">{create.data.generatedPassword}</code>
            </>
          )}
        </p>
      )}
      <button type="submit" className="wb-button wb-button-primary" disabled={create.isPending}>
        Create user
      </button>
    </form>
  );
}
