import type { FastifyInstance, HTTPMethods } from 'fastify';
import type { Capability } from '@dbt-workbench/plugin-sdk/contracts/capabilities';
import { currentWorkspace, type Guards } from '../auth/guards.ts';
import { HttpError } from '../http/errors.ts';
import type { PluginTokens } from './plugin-tokens/service.ts';
import type { PluginRegistry } from './registry.ts';

/** One host data API a plugin frontend may call, and the capability it needs. */
export interface HostDataRule {
  method: 'GET' | 'POST';
  /** The path below `/api/workspaces/<workspace>/`; `:param` matches one segment. */
  path: string;
  capability: Capability;
}

/** The host data APIs of `sdk.data`, each gated by a capability. */
export const hostDataRules: readonly HostDataRule[] = [
  { method: 'GET', path: 'models', capability: 'read-metadata' },
  { method: 'GET', path: 'nodes/:id', capability: 'read-metadata' },
  { method: 'GET', path: 'search', capability: 'read-metadata' },
  { method: 'GET', path: 'catalog/summary', capability: 'read-metadata' },
  { method: 'GET', path: 'lineage', capability: 'read-metadata' },
  { method: 'GET', path: 'runs', capability: 'read-metadata' },
  { method: 'GET', path: 'runs/:id', capability: 'read-metadata' },
  { method: 'GET', path: 'sql/tables', capability: 'access-sql-workspace' },
  { method: 'POST', path: 'sql/query', capability: 'access-sql-workspace' },
];

/** The rule for a method and a path below the workspace, or undefined when plugins may not call it. Pure. */
export function hostDataRule(method: string, path: string): HostDataRule | undefined {
  const segments = path.split('/');
  return hostDataRules.find((rule) => {
    const pattern = rule.path.split('/');
    return (
      rule.method === method &&
      pattern.length === segments.length &&
      pattern.every((part, i) => part.startsWith(':') || part === segments[i])
    );
  });
}

/**
 * `/api/workspaces/:workspace/plugin-data/:plugin/*`: the host data APIs as a plugin's frontend sees them.
 * The call runs with the user's own session and role (a plugin never gets more than its user), and only
 * while the plugin is active and enabled in the workspace and holds the approved capability. Which plugin calls is
 * not taken from the URL alone: the call must carry a plugin token of this session for that plugin and workspace
 * (403 `plugin_token_required` or `plugin_token_invalid`), which the host end of the plugin's bridge holds.
 */
export function registerHostDataRoutes(
  app: FastifyInstance,
  registry: PluginRegistry,
  guards: Guards,
  tokens: PluginTokens,
): void {
  app.route<{ Params: { workspace: string; plugin: string; '*': string } }>({
    method: ['GET', 'POST'] satisfies HTTPMethods[],
    url: '/api/workspaces/:workspace/plugin-data/:plugin/*',
    preHandler: [guards.requireUser, guards.requireWorkspaceRole('viewer')],
    async handler(request, reply) {
      const { workspace } = currentWorkspace(request);
      const { plugin: name, '*': path } = request.params;
      const plugin = registry.get(name);
      if (!plugin || plugin.state !== 'active' || !plugin.enabledWorkspaces.includes(workspace.name)) {
        throw new HttpError('not_found', `Plugin "${name}" is not active in workspace ${workspace.name}`);
      }
      tokens.require(request, name, workspace.name);
      const rule = hostDataRule(request.method, path);
      if (!rule) throw new HttpError('not_found', `Plugins cannot call ${request.method} ${path}`);
      if (!plugin.approvedCapabilities.includes(rule.capability)) {
        request.log.warn(
          { plugin: name, workspace: workspace.name, path, capability: rule.capability },
          'plugin call rejected',
        );
        throw new HttpError(
          'capability_denied',
          `Plugin "${name}" may not call ${request.method} ${path}: it needs the approved capability ${rule.capability}`,
        );
      }
      const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      const forwarded = await app.inject({
        method: rule.method,
        url: `/api/workspaces/${encodeURIComponent(workspace.name)}/${path}${query}`,
        headers: { cookie: request.headers.cookie ?? '', 'content-type': 'application/json' },
        ...(rule.method === 'POST' ? { payload: JSON.stringify(request.body ?? {}) } : {}),
      });
      return reply
        .status(forwarded.statusCode)
        .header('content-type', forwarded.headers['content-type'] ?? 'application/json')
        .send(forwarded.body);
    },
  });
}
