import { useState, type FormEvent } from 'react';
import type { UserSummary } from '../../shared/api.schema.ts';
import { WorkspaceRole } from '@dbt-workbench/plugin-sdk/contracts/roles';
import { useUserAction } from './users-api.ts';

interface WorkspaceColumn {
  name: string;
  title: string;
}

/** The "new password" panel: type one, or have the server generate one that is shown once. */
function PasswordPanel({ onSubmit, onCancel }: { onSubmit: (password?: string) => void; onCancel: () => void }) {
  const [password, setPassword] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(password);
  };
  return (
    <form className="wb-admin-inline-form" onSubmit={submit} aria-label="New password">
      <label>
        New password (10+ characters)
        <input
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          minLength={10}
          required
          autoComplete="new-password"
        />
      </label>
      <button type="submit" className="wb-button wb-button-primary">
        Set password
      </button>
      <button type="button" className="wb-button" onClick={() => onSubmit(undefined)}>
        Generate one instead
      </button>
      <button type="button" className="wb-link-button" onClick={onCancel}>
        Cancel
      </button>
      <span className="wb-muted">Their sessions end either way.</span>
    </form>
  );
}

/** One user: their role in every workspace, and what an admin can do to them. */
export function UserRow({
  user,
  workspaces,
  isMe,
}: {
  user: UserSummary;
  workspaces: WorkspaceColumn[];
  isMe: boolean;
}) {
  const action = useUserAction(user);
  const [resetting, setResetting] = useState(false);
  const deactivated = user.deactivatedAt !== null;
  const setRole = (workspace: string, role: WorkspaceRole | '') => {
    const roles = { ...user.roles };
    if (role === '') delete roles[workspace];
    else roles[workspace] = role;
    action.mutate({ kind: 'roles', roles });
  };
  const outcome = action.data;
  return (
    <>
      <tr
        className={deactivated ? 'wb-user-row wb-user-deactivated' : 'wb-user-row'}
        data-testid={`user-${user.username}`}
      >
        <td>
          <strong>{user.displayName}</strong>
          {user.displayName !== user.username && <span className="wb-muted"> {user.username}</span>}
          <div className="wb-user-badges">
            {user.isInstanceAdmin && <span className="wb-badge wb-badge-good">instance admin</span>}
            {deactivated && <span className="wb-badge wb-badge-bad">deactivated</span>}
            {isMe && <span className="wb-badge wb-badge-neutral">you</span>}
          </div>
        </td>
        {workspaces.map((w) => (
          <td key={w.name}>
            {user.isInstanceAdmin ? (
              <span className="wb-muted" title="Instance admins are admins of every workspace">
                admin
              </span>
            ) : (
              <select
                aria-label={`${user.username}'s role in ${w.title}`}
                value={user.roles[w.name] ?? ''}
                disabled={action.isPending}
                onChange={(e) => setRole(w.name, e.target.value as WorkspaceRole | '')}
              >
                <option value="">none</option>
                {WorkspaceRole.options.map((role) => (
                  <option key={role} value={role}>
                    {role}
                  </option>
                ))}
              </select>
            )}
          </td>
        ))}
        <td className="wb-user-actions">
          <button type="button" className="wb-button" disabled={action.isPending} onClick={() => setResetting(true)}>
            Reset password
          </button>
          <button
            type="button"
            className="wb-button"
            disabled={action.isPending}
            onClick={() => action.mutate({ kind: 'instance-admin', value: !user.isInstanceAdmin })}
          >
            {user.isInstanceAdmin ? 'Remove instance admin' : 'Make instance admin'}
          </button>
          {!isMe && (
            <button
              type="button"
              className="wb-button"
              disabled={action.isPending}
              onClick={() => action.mutate({ kind: deactivated ? 'reactivate' : 'deactivate' })}
            >
              {deactivated ? 'Reactivate' : 'Deactivate'}
            </button>
          )}
          {!isMe && (
            <button
              type="button"
              className="wb-button wb-button-danger"
              disabled={action.isPending}
              onClick={() => {
                const question = `Delete ${user.username}? Their memberships, sessions and saved queries go with them; this cannot be undone. (Deactivate keeps them.)`;
                if (window.confirm(question)) action.mutate({ kind: 'delete' });
              }}
            >
              Delete
            </button>
          )}
        </td>
      </tr>
      {(resetting || outcome || action.isError) && (
        <tr className="wb-user-detail">
          <td colSpan={workspaces.length + 2}>
            {resetting && (
              <PasswordPanel
                onCancel={() => setResetting(false)}
                onSubmit={(password) => {
                  setResetting(false);
                  action.mutate({ kind: 'password', ...(password ? { password } : {}) });
                }}
              />
            )}
            {action.isError && (
              <p className="wb-form-error" role="alert">
                {action.error.message}
              </p>
            )}
            {outcome && !action.isError && (
              <p role="status" className="wb-admin-outcome">
                {outcome.message}
                {outcome.generatedPassword && (
                  <>
                    {' '}
                    Their new password, shown only now: <code className="wb-secret">{outcome.generatedPassword}</code>
                  </>
                )}
              </p>
            )}
          </td>
        </tr>
      )}
    </>
  );
}
