import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Me } from '../../shared/api.schema.ts';
import * as api from '../../shared/http/auth.ts';
import { ApiError, callApi } from '../api/client.ts';

export const meQueryKey = ['auth', 'me'] as const;

/** The signed-in user and their workspaces; `null` when nobody is signed in. */
export function useMe() {
  return useQuery({
    queryKey: meQueryKey,
    queryFn: async (): Promise<Me | null> => {
      try {
        return await callApi(api.getMe, {});
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

export function useSignIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (credentials: { username: string; password: string }) => callApi(api.signIn, { body: credentials }),
    onSuccess: (me) => {
      client.clear();
      client.setQueryData(meQueryKey, me);
    },
  });
}

/**
 * Signs out and loads the sign-in page afresh: a full page load, so nothing of the previous user (cached
 * queries, plugin modules already loaded, their stores) outlives the session.
 */
export function useSignOut() {
  return useMutation({
    mutationFn: () => callApi(api.signOut, {}),
    onSettled: () => window.location.assign('/login'),
  });
}
