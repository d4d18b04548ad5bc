import { z } from 'zod';

/** A user's role in one workspace. Each role can do everything the ones before it can. */
export const WorkspaceRole = z.enum(['viewer', 'developer', 'admin']);
export type WorkspaceRole = z.infer<typeof WorkspaceRole>;

/** True when `role` is at least `needed`: `admin` satisfies `developer`, `viewer` does not. */
export function roleAllows(role: WorkspaceRole, needed: WorkspaceRole): boolean {
  return WorkspaceRole.options.indexOf(role) >= WorkspaceRole.options.indexOf(needed);
}
