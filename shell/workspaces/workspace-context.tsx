import { createContext, useContext } from 'react';
import type { Me } from '../../shared/api.schema.ts';

export type CurrentWorkspace = Me['workspaces'][number];

export const WorkspaceContext = createContext<CurrentWorkspace | null>(null);

/** The workspace the current page belongs to, with the user's role in it. */
export function useWorkspace(): CurrentWorkspace {
  const workspace = useContext(WorkspaceContext);
  if (!workspace) throw new Error('useWorkspace is used outside a workspace page');
  return workspace;
}

/** The workspace of the current page, or null on pages outside any workspace (admin pages). */
export function useOptionalWorkspace(): CurrentWorkspace | null {
  return useContext(WorkspaceContext);
}

/** The URL of a page inside a workspace: `workspacePath('jaffle-shop', 'models')` is `/w/jaffle-shop/models`. */
export function workspacePath(workspace: string, path = ''): string {
  const rest = path.replace(/^\/+/, '');
  return rest ? `/w/${workspace}/${rest}` : `/w/${workspace}`;
}
