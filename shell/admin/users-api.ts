import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { UserSummary } from '../../shared/api.schema.ts';
import type { WorkspaceRole } from '@dbt-workbench/plugin-sdk/contracts/roles';
import * as api from '../../shared/http/users.ts';
import { callApi } from '../api/client.ts';
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

async function perform(user: UserSummary, action: Action): Promise<ActionOutcome> {
  const params = { id: user.id };
  const who = user.username;
  switch (action.kind) {
    case 'roles':
      await callApi(api.setUserRoles, { params, body: { roles: action.roles } });
      return { message: `Saved ${who}'s workspace roles.` };
    case 'instance-admin':
      await callApi(api.updateUser, { params, body: { isInstanceAdmin: action.value } });
      return { message: action.value ? `${who} is now an instance admin.` : `${who} is no longer an instance admin.` };
    case 'password': {
      const body = action.password === undefined ? {} : { password: action.password };
      const answer = await callApi(api.resetUserPassword, { params, body });
      return {
        message: `Set a new password for ${who}; their sessions ended.`,
        ...(answer.generatedPassword ? { generatedPassword: answer.generatedPassword } : {}),
      };
    }
    case 'deactivate':
      await callApi(api.deactivateUser, { params });
      return { message: `Deactivated ${who}: they are signed out and cannot sign in until reactivated.` };
    case 'reactivate':
      await callApi(api.reactivateUser, { params });
      return { message: `Reactivated ${who}: they can sign in again.` };
    case 'delete':
      await callApi(api.deleteUser, { params });
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
