import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { UserSummary } from '../../shared/api.schema.ts';
import type { WorkspaceRole } from '@dbt-workbench/plugin-sdk/contracts/roles';
import { fetchJson } from '../api/client.ts';
import { meQueryKey } from '../auth/session.ts';

export const usersKey = ['admin', 'users'] as const;

/** What a user action answers: a sentence for the page's status line, and a password to show once. */
export interface ActionOutcome {
  message: string;
  generatedPassword?: string;
}

type Action =
  | { kind: 'roles'; roles: Record<string, WorkspaceRole> }
  | { kind: 'instance-admin'; value: boolean }
  | { kind: 'password'; password?: string }
  | { kind: 'deactivate' }
  | { kind: 'reactivate' }
  | { kind: 'delete' };

const json = (method: string, body?: unknown): RequestInit => ({
  method,
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

async function perform(user: UserSummary, action: Action): Promise<ActionOutcome> {
  const url = `/api/users/${user.id}`;
  const who = user.username;
  switch (action.kind) {
    case 'roles':
      await fetchJson(`${url}/roles`, json('PUT', { roles: action.roles }));
      return { message: `Saved ${who}'s workspace roles.` };
    case 'instance-admin':
      await fetchJson(url, json('PATCH', { isInstanceAdmin: action.value }));
      return { message: action.value ? `${who} is now an instance admin.` : `${who} is no longer an instance admin.` };
    case 'password': {
      const body = action.password === undefined ? {} : { password: action.password };
      const answer = await fetchJson<{ generatedPassword?: string }>(`${url}/password`, json('POST', body));
      return {
        message: `Set a new password for ${who}; their sessions ended.`,
        ...(answer.generatedPassword ? { generatedPassword: answer.generatedPassword } : {}),
      };
    }
    case 'deactivate':
      await fetchJson(`${url}/deactivate`, json('POST'));
      return { message: `Deactivated ${who}: they are signed out and cannot sign in until reactivated.` };
    case 'reactivate':
      await fetchJson(`${url}/reactivate`, json('POST'));
      return { message: `Reactivated ${who}: they can sign in again.` };
    case 'delete':
      await fetchJson(url, json('DELETE'));
      return { message: `Deleted ${who}.` };
  }
}

/** Runs one action on a user, then reloads the user list (and the signed-in user, whose roles may have changed). */
export function useUserAction(user: UserSummary) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (action: Action) => perform(user, action),
    onSettled: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: usersKey }),
        client.invalidateQueries({ queryKey: meQueryKey }),
      ]),
  });
}
