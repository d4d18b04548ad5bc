import { useQuery } from '@tanstack/react-query';
import { listUsers } from '../../shared/http/users.ts';
import { callApi } from '../api/client.ts';
import { useMe } from '../auth/session.ts';
import { NewUserForm } from './NewUserForm.tsx';
import { UserRow } from './UserRow.tsx';
import { usersKey } from './users-api.ts';
import './admin.css';

/** Admin: users, their role in every workspace, passwords, deactivation and deletion. */
export function UsersPage() {
  const me = useMe();
  const users = useQuery({ queryKey: usersKey, queryFn: () => callApi(listUsers, {}) });
  // An instance admin's own list is every workspace, which is what the role columns need.
  const workspaces = me.data?.workspaces ?? [];
  return (
    <div className="wb-page">
      <header className="wb-page-header">
        <h1>Users</h1>
        <p className="wb-muted">
          Who can sign in, and their role in each workspace: viewers read, developers also run and query, admins also
          manage the workspace. Instance admins are admins everywhere and manage users, workspaces and plugins.
        </p>
      </header>
      {users.isError && <div className="wb-plugin-error">Could not list users: {users.error.message}</div>}
      <div className="wb-table-scroll">
        <table className="wb-table wb-users-table" aria-label="Users">
          <thead>
            <tr>
              <th>User</th>
              {workspaces.map((w) => (
                <th key={w.name}>{w.title}</th>
              ))}
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {(users.data?.users ?? []).map((user) => (
              <UserRow key={user.id} user={user} workspaces={workspaces} isMe={user.id === me.data?.user.id} />
            ))}
          </tbody>
        </table>
      </div>
      <NewUserForm workspaces={workspaces} />
    </div>
  );
}
