import type { ReactNode } from 'react';
import type { WorkspaceRole } from '../../shared/roles.ts';
import { DashboardPage } from '../dashboard/DashboardPage.tsx';
import { ExtensionPage } from '../extensions/ExtensionPage.tsx';

/** A page inside a workspace, at `/w/<workspace>/<path>`. */
export interface WorkspacePage {
  path: string;
  element: ReactNode;
}

/** A sidebar link to a workspace page, shown to roles at least `minRole`. */
export interface WorkspaceNavItem {
  /** Relative to the workspace: `models` links to `/w/<workspace>/models`; '' is the dashboard. */
  to: string;
  label: string;
  minRole: WorkspaceRole;
}

/** Every core page of a workspace. A feature adds its pages here, and its links to `workspaceNav`. */
export const workspacePages: WorkspacePage[] = [
  { path: '', element: <DashboardPage /> },
  { path: 'ext/*', element: <ExtensionPage /> },
];

/** The workspace section of the sidebar, in order. */
export const workspaceNav: WorkspaceNavItem[] = [{ to: '', label: 'Dashboard', minRole: 'viewer' }];
