import { randomUUID } from 'node:crypto';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  CallToolRequestSchema,
  ListToolsRequestSchema,
  type CallToolResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { WorkspaceRole } from '@dbt-workbench/plugin-sdk/contracts/roles';
import type { ToolDescriptor } from '../../shared/tools.schema.ts';
import type { UsersRepository } from '../auth/users-repository.ts';
import { HttpError } from '../http/errors.ts';
import type { PluginRegistry } from '../plugins/registry.ts';
import type { ToolCaller, ToolRunner } from '../tools/runner.ts';
import type { Workspace } from '../workspaces/config.ts';

/** The header a Streamable HTTP client sends with every request after `initialize`. */
const SESSION_HEADER = 'mcp-session-id';
/** Open sessions one API token may hold; opening another closes its oldest. */
const SESSIONS_PER_TOKEN = 16;

/** One connected MCP client: its transport and server, bound to one workspace and the token that opened it. */
interface Session {
  id: string;
  tokenId: string;
  workspace: Workspace;
  transport: StreamableHTTPServerTransport;
  server: Server;
  /** Who calls, refreshed from each HTTP request (the token's user and their role now). */
  caller: ToolCaller;
  /** What `tools/list` would answer now, as text: a change sends `notifications/tools/list_changed`. */
  listed: string;
}

/** How MCP clients see a tool: its schemas, and whether it only reads (`readOnlyHint`). */
export function mcpToolOf(tool: ToolDescriptor): Tool {
  return {
    name: tool.id,
    title: tool.title,
    description: tool.plugin ? `${tool.description} (plugin ${tool.plugin.displayName})` : tool.description,
    inputSchema: tool.parameters as Tool['inputSchema'],
    ...(tool.result ? { outputSchema: tool.result as Tool['outputSchema'] } : {}),
    annotations: { title: tool.title, readOnlyHint: tool.effect === 'read', destructiveHint: tool.effect === 'change' },
  };
}

/** What a list looks like for change detection: ids and the versions of the plugins offering them. */
const listingOf = (tools: readonly ToolDescriptor[]) =>
  tools.map((t) => `${t.id}@${t.plugin?.version ?? ''}`).join('\n');

export interface McpDeps {
  runner: ToolRunner;
  plugins: PluginRegistry;
  users: UsersRepository;
  workspaces: readonly Workspace[];
  logger: Logger;
}

/**
 * `/mcp/<workspace>`: the MCP endpoint (Streamable HTTP, stateful sessions) of one workspace, for API tokens with
 * the `mcp` scope only (the token's scope check runs before this; a session cookie is not enough). It lists
 * exactly the tools `GET /api/workspaces/:workspace/tools` would give the token's user, and calls them through the
 * same runner (checks, limits, hooks, audit). A change of the plugins (enabled, disabled, updated) that changes a
 * session's tools sends it `notifications/tools/list_changed`.
 */
export function registerMcpEndpoint(app: FastifyInstance, deps: McpDeps): { close(): Promise<void> } {
  const sessions = new Map<string, Session>();

  async function callerOf(request: FastifyRequest<{ Params: { workspace: string } }>): Promise<ToolCaller> {
    const token = request.apiToken;
    const user = request.user;
    if (!token || !user)
      throw new HttpError(
        'unauthorized',
        'The MCP endpoint takes an API token with the mcp scope (Authorization: Bearer wbt_...); an admin makes one under Admin → API tokens',
      );
    const name = request.params.workspace;
    const workspace = deps.workspaces.find((w) => w.name === name);
    const role: WorkspaceRole | undefined = workspace && (await deps.users.roleIn(user, workspace.name));
    if (!workspace || !role) throw new HttpError('workspace_not_found', `No workspace named "${name}"`);
    return { user, workspace, role, via: 'mcp' };
  }

  function openSession(caller: ToolCaller, tokenId: string): Session {
    const server = new Server(
      {
        name: 'dbt-workbench',
        title: `dbt-Workbench: ${caller.workspace.title ?? caller.workspace.name}`,
        version: '1',
      },
      { capabilities: { tools: { listChanged: true } } },
    );
    const session: Session = {
      id: '',
      tokenId,
      workspace: caller.workspace,
      server,
      caller,
      listed: listingOf(deps.runner.list(caller)),
      transport: new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        // Answers as plain JSON rather than a one-message event stream; notifications go on the GET stream.
        enableJsonResponse: true,
        onsessioninitialized: (id) => {
          session.id = id;
          sessions.set(id, session);
          const mine = [...sessions.values()].filter((s) => s.tokenId === tokenId);
          if (mine.length > SESSIONS_PER_TOKEN) void mine[0]!.transport.close();
        },
        onsessionclosed: (id) => void sessions.delete(id),
      }),
    };
    session.transport.onclose = () => void sessions.delete(session.id);
    server.setRequestHandler(ListToolsRequestSchema, async () => {
      const tools = deps.runner.list(session.caller);
      session.listed = listingOf(tools);
      return { tools: tools.map(mcpToolOf) };
    });
    server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
      try {
        const answer = await deps.runner.call(session.caller, request.params.name, request.params.arguments ?? {});
        return { content: [{ type: 'text', text: JSON.stringify(answer.result) }], structuredContent: answer.result };
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        // A tool's failure is a result the agent reads (MCP's isError), with our error body as its text.
        const body = {
          code: error.code,
          message: error.message,
          ...(error.details === undefined ? {} : { details: error.details }),
        };
        return { isError: true, content: [{ type: 'text', text: JSON.stringify({ error: body }) }] };
      }
    });
    return session;
  }

  async function handle(request: FastifyRequest<{ Params: { workspace: string } }>, reply: FastifyReply) {
    const caller = await callerOf(request);
    const tokenId = request.apiToken!.id;
    const header = request.headers[SESSION_HEADER];
    const sessionId = Array.isArray(header) ? header[0] : header;
    let session: Session;
    if (sessionId) {
      const known = sessions.get(sessionId);
      // Another token's session, or another workspace's, is as unknown as a made-up one.
      if (!known || known.tokenId !== tokenId || known.workspace.name !== caller.workspace.name)
        throw new HttpError('not_found', `No MCP session ${sessionId} here; initialize a new one`);
      session = known;
      session.caller = caller;
    } else {
      if (request.method !== 'POST')
        throw new HttpError('bad_request', `Send the ${SESSION_HEADER} header an initialize answered with`);
      session = openSession(caller, tokenId);
      await session.server.connect(session.transport);
    }
    reply.hijack();
    await session.transport.handleRequest(request.raw, reply.raw, request.body);
  }

  for (const method of ['GET', 'POST', 'DELETE'] as const)
    app.route<{ Params: { workspace: string } }>({ method, url: '/mcp/:workspace', handler: handle });

  const unsubscribe = deps.plugins.subscribe(() => {
    for (const session of sessions.values()) {
      const now = listingOf(deps.runner.list(session.caller));
      if (now === session.listed) continue;
      session.listed = now;
      session.server.sendToolListChanged().catch((error: unknown) => {
        deps.logger.debug({ err: error, session: session.id }, 'tools/list_changed not delivered');
      });
    }
  });

  return {
    async close() {
      unsubscribe();
      await Promise.all([...sessions.values()].map((s) => s.transport.close().catch(() => {})));
      sessions.clear();
    },
  };
}
