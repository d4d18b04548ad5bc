import type { ReactNode } from 'react';
import type { WorkspaceRole } from '@dbt-workbench/plugin-sdk/contracts/roles';
import { ModelsPage } from '../catalog/ModelsPage.tsx';
import { NodePage } from '../catalog/NodePage.tsx';
import { DashboardPage } from '../dashboard/DashboardPage.tsx';
import { ExtensionPage } from '../extensions/ExtensionPage.tsx';
import { RunDetailPage } from '../runs/RunDetailPage.tsx';
import { RunsPage } from '../runs/RunsPage.tsx';
import { SchedulesPage } from '../schedules/SchedulesPage.tsx';
import { SqlPage } from '../sql/SqlPage.tsx';
import { LineagePage } from '../lineage/LineagePage.tsx';
import { SearchPage } from '../search/SearchPage.tsx';

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
  { path: 'models', element: <ModelsPage /> },
  { path: 'models/:uniqueId', element: <NodePage /> },
  { path: 'sources/:uniqueId', element: <NodePage /> },
  { path: 'seeds/:uniqueId', element: <NodePage /> },
  { path: 'nodes/:uniqueId', element: <NodePage /> },
  { path: 'search', element: <SearchPage /> },
  { path: 'runs', element: <RunsPage /> },
  { path: 'runs/:id', element: <RunDetailPage /> },
  { path: 'schedules', element: <SchedulesPage /> },
  { path: 'sql', element: <SqlPage /> },
  { path: 'lineage', element: <LineagePage /> },
];

/** The workspace section of the sidebar, in order. */
export const workspaceNav: WorkspaceNavItem[] = [
  { to: '', label: 'Dashboard', minRole: 'viewer' },
  { to: 'models', label: 'Models', minRole: 'viewer' },
  { to: 'lineage', label: 'Lineage', minRole: 'viewer' },
  { to: 'search', label: 'Search', minRole: 'viewer' },
  { to: 'sql', label: 'SQL', minRole: 'developer' },
  { to: 'runs', label: 'Runs', minRole: 'viewer' },
  { to: 'schedules', label: 'Schedules', minRole: 'viewer' },
];
