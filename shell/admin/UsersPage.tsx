import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { UserSummary } from '../../shared/api.schema.ts';
import { WorkspaceRole } from '@dbt-workbench/plugin-sdk/contracts/roles';
import { fetchJson } from '../api/client.ts';
import { useMe } from '../auth/session.ts';

const usersKey = ['admin', 'users'] as const;

function NewUserForm({ workspaces }: { workspaces: { name: string; title: string }[] }) {
  const client = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [roles, setRoles] = useState<Record<string, WorkspaceRole | ''>>({});
  const create = useMutation({
    mutationFn: () =>
      fetchJson<UserSummary>('/api/users', {
        method: 'POST',
        body: JSON.stringify({
          username,
          password,
          roles: Object.fromEntries(Object.entries(roles).filter(([, r]) => r !== '')),
        }),
      }),
    onSuccess: () => {
      setUsername('');
      setPassword('');
      setRoles({});
      return client.invalidateQueries({ queryKey: usersKey });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <form className="wb-card wb-form" onSubmit={submit} aria-label="New user">
      <h2 className="wb-card-title">New user</h2>
      <div className="wb-form-row">
        <label>
          Username
          <input value={username} onChange={(e) => setUsername(e.target.value)} required />
        </label>
        <label>
          Password (10+ characters)
          <input
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            minLength={10}
          />
        </label>
        {workspaces.map((w) => (
          <label key={w.name}>
            {w.title}
            <select
              value={roles[w.name] ?? ''}
              onChange={(e) => setRoles({ ...roles, [w.name]: e.target.value as WorkspaceRole | '' })}
            >
              <option value="">no access</option>
              {WorkspaceRole.options.map((role) => (
                <option key={role} value={role}>
                  {role}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
      {create.isError && (
        <p className="wb-form-error" role="alert">
          {create.error.message}
        </p>
      )}
      <button type="submit" className="wb-button wb-button-primary" disabled={create.isPending}>
        Create user
      </button>
    </form>
  );
}

/** Admin: users and their role in each workspace. */
export function UsersPage() {
  const me = useMe();
  const users = useQuery({ queryKey: usersKey, queryFn: () => fetchJson<{ users: UserSummary[] }>('/api/users') });
  const workspaces = me.data?.workspaces ?? [];
  return (
    <div className="wb-page">
      <header className="wb-page-header">
        <h1>Users</h1>
        <p className="wb-muted">Who can sign in, and their role in each workspace.</p>
      </header>
      {users.isError && <div className="wb-plugin-error">Could not list users: {users.error.message}</div>}
      <table className="wb-table">
        <thead>
          <tr>
            <th>User</th>
            <th>Instance admin</th>
            {workspaces.map((w) => (
              <th key={w.name}>{w.title}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {(users.data?.users ?? []).map((user) => (
            <tr key={user.id}>
              <td>
                <strong>{user.displayName}</strong> <span className="wb-muted">{user.username}</span>
              </td>
              <td>{user.isInstanceAdmin ? 'yes' : ''}</td>
              {workspaces.map((w) => (
                <td key={w.name}>{user.roles[w.name] ?? <span className="wb-muted">—</span>}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <NewUserForm workspaces={workspaces} />
    </div>
  );
}
