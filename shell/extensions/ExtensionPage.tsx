import { useRef } from 'react';
import { Link, useParams } from 'react-router';
import type { Extension } from '../../shared/api.schema.ts';
import { useExtensions } from '../api/queries.ts';
import { ContributionView } from './ContributionView.tsx';
import { useWorkspace, workspacePath } from '../workspaces/workspace-context.tsx';

type PageExtension = Extract<Extension, { slot: 'nav.tab' | 'page' }>;

/** The page contribution whose path is the longest prefix of `path`, and what remains below it. */
export function matchPage(
  extensions: readonly Extension[],
  path: string,
): { page: PageExtension; subPath: string } | undefined {
  const pages = extensions.filter((e): e is PageExtension => e.slot === 'nav.tab' || e.slot === 'page');
  const match = pages
    .filter((p) => path === p.path || path.startsWith(`${p.path}/`))
    .sort((a, b) => b.path.length - a.path.length)[0];
  return match && { page: match, subPath: path.slice(match.path.length + 1) };
}

/** `/ext/*`: a page contributed by a plugin, or a clear message when no active plugin provides it. */
export function ExtensionPage() {
  const path = useParams()['*'] ?? '';
  const workspace = useWorkspace();
  const extensions = useExtensions(workspace.name);
  // Which plugin last served this path, to tell "gone while you looked" from "never here".
  const lastShown = useRef<{ path: string; plugin: string } | null>(null);
  if (extensions.isPending) return <div className="wb-loading">Loading…</div>;
  if (extensions.isError)
    return <div className="wb-plugin-error">Could not load plugins: {extensions.error.message}</div>;
  const match = matchPage(extensions.data.extensions, path);
  if (!match && lastShown.current?.path === path) {
    return (
      <div className="wb-empty" data-testid="plugin-unavailable">
        <h1>This plugin is no longer available</h1>
        <p>
          {lastShown.current.plugin} was disabled, removed or failed to reload while this page was open. Nothing else on
          the page is affected.
        </p>
        <Link to={workspacePath(workspace.name)}>Back to the dashboard</Link>
      </div>
    );
  }
  if (!match) {
    return (
      <div className="wb-empty" data-testid="plugin-unavailable">
        <h1>This plugin page is not available</h1>
        <p>
          No active plugin provides <code>/ext/{path}</code>. It may have been disabled or removed.
        </p>
        <Link to={workspacePath(workspace.name)}>Back to the dashboard</Link>
      </div>
    );
  }
  lastShown.current = { path, plugin: match.page.pluginDisplayName };
  return (
    <ContributionView
      key={match.page.plugin + match.page.id}
      extension={match.page}
      slotProps={{ subPath: match.subPath }}
    />
  );
}
