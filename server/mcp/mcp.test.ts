import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CreatedApiToken } from '../../shared/api-tokens.schema.ts';
import { eventually } from '../sandbox/testing.ts';
import type { TestApp } from '../testing/test-app.ts';
import { startToolsApp } from '../tools/testing.ts';

let app: TestApp;
let base: string;
let mcpToken: string;
let deployToken: string;
const clients: Client[] = [];

async function token(scopes: string[]): Promise<string> {
  const made = await app.server.inject({
    method: 'POST',
    url: '/api/tokens',
    headers: { cookie: app.adminCookie },
    payload: { name: `agent ${scopes.join(' ')}`, scopes },
  });
  expect(made.statusCode).toBe(201);
  return (made.json() as CreatedApiToken).token;
}

/** An agent's MCP client, as the SDK makes it, connected over real HTTP with `secret` as its bearer token. */
async function connect(workspace: string, secret = mcpToken): Promise<Client> {
  const client = new Client({ name: 'test-agent', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(`${base}/mcp/${workspace}`), {
    requestInit: { headers: { authorization: `Bearer ${secret}` } },
  });
  await client.connect(transport);
  clients.push(client);
  return client;
}

/** A tool's error as the agent reads it: the text of an isError result. */
function errorOf(answer: unknown) {
  const result = answer as { isError?: boolean; content: { type: string; text: string }[] };
  expect(result.isError).toBe(true);
  const [first] = result.content;
  return (JSON.parse(first!.text) as { error: { code: string; message: string; details?: unknown } }).error;
}

beforeAll(async () => {
  app = await startToolsApp(['tool-guard']);
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
  mcpToken = await token(['mcp']);
  deployToken = await token(['plugins:deploy']);
}, 60_000);
afterAll(async () => {
  for (const client of clients) await client.close().catch(() => {});
  await app?.close();
});

describe('/mcp/<workspace> with the SDK’s own client', () => {
  test('lists the core tools and the tools of plugins enabled there, with their schemas and read-only hints', async () => {
    const client = await connect('shop');
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining(['search_models', 'get_node', 'lineage', 'list_runs', 'start_run', 'run_sql']),
    );
    expect(names).toEqual(expect.arrayContaining(['model-stewards.steward_of', 'model-stewards.assign_steward']));
    const assign = tools.find((t) => t.name === 'model-stewards.assign_steward')!;
    expect(assign.inputSchema).toMatchObject({ required: ['model', 'steward'] });
    expect(assign.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(tools.find((t) => t.name === 'search_models')!.annotations).toMatchObject({ readOnlyHint: true });
  });

  test('tools/call runs a plugin tool as the token’s admin, audited as coming from MCP', async () => {
    const client = await connect('shop');
    const assigned = await client.callTool({
      name: 'model-stewards.assign_steward',
      arguments: { model: 'model.jaffle_shop.orders', steward: 'finance' },
    });
    expect(assigned.isError).toBeFalsy();
    expect(assigned.structuredContent).toMatchObject({ steward: 'finance', assignedBy: 'token:agent mcp' });
    const read = await client.callTool({
      name: 'model-stewards.steward_of',
      arguments: { model: 'model.jaffle_shop.orders' },
    });
    expect(read.structuredContent).toMatchObject({ steward: 'finance' });
    const search = await client.callTool({ name: 'search_models', arguments: { query: 'orders' } });
    expect((search.structuredContent as { rows: { name: string }[] }).rows.map((r) => r.name)).toContain('orders');
    const entries = await eventually('the audit line', async () => {
      const audit = await app.server.inject({
        url: '/api/audit?action=tool.call&target=model-stewards.assign_steward',
        headers: { cookie: app.adminCookie },
      });
      const all = audit.json().entries as unknown[];
      return all.length > 0 ? all : undefined;
    });
    expect(entries).toEqual([
      expect.objectContaining({ actorName: 'token:agent mcp', workspace: 'shop', details: { via: 'mcp', ok: true } }),
    ]);
  });

  test('bad input gets the same errors as the palette, and nothing runs', async () => {
    const client = await connect('shop');
    const invalid = errorOf(
      await client.callTool({ name: 'model-stewards.assign_steward', arguments: { model: 'model.x' } }),
    );
    expect(invalid).toMatchObject({
      code: 'tool_arguments_invalid',
      details: [{ field: '/steward', message: "must have required property 'steward'" }],
    });
    expect(errorOf(await client.callTool({ name: 'no_such_tool', arguments: {} })).code).toBe('tool_not_found');
    const refused = errorOf(
      await client.callTool({
        name: 'model-stewards.assign_steward',
        arguments: { model: 'model.x', steward: 'nobody' },
      }),
    );
    expect(refused).toMatchObject({ code: 'tool_refused', message: expect.stringContaining('a real steward') });
    const read = await client.callTool({ name: 'model-stewards.steward_of', arguments: { model: 'model.x' } });
    expect(read.structuredContent).toMatchObject({ steward: null });
  });

  test('a token without the mcp scope, a session cookie, no token, or another workspace each get their own answer', async () => {
    const post = (url: string, headers: Record<string, string>) =>
      fetch(`${base}${url}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
        }),
      });
    const deploy = await post('/mcp/shop', { authorization: `Bearer ${deployToken}` });
    expect(deploy.status).toBe(403);
    expect(((await deploy.json()) as { error: { code: string } }).error.code).toBe('token_scope');
    const cookie = await post('/mcp/shop', { cookie: app.adminCookie, origin: base });
    expect(cookie.status).toBe(401);
    expect(((await cookie.json()) as { error: { message: string } }).error.message).toContain('mcp scope');
    expect((await post('/mcp/shop', {})).status).toBe(401);
    const nowhere = await post('/mcp/nowhere', { authorization: `Bearer ${mcpToken}` });
    expect(nowhere.status).toBe(404);
    expect(((await nowhere.json()) as { error: { code: string } }).error.code).toBe('workspace_not_found');
    // The token's secret may not reach the rest of the API.
    const api = await fetch(`${base}/api/plugins`, { headers: { authorization: `Bearer ${mcpToken}` } });
    expect(api.status).toBe(403);
    await expect(connect('shop', deployToken)).rejects.toThrow(/403|token_scope|scope/);
  });

  test("a session is bound to its workspace: another workspace's URL does not take it", async () => {
    const client = await connect('shop');
    const sessionId = (client.transport as StreamableHTTPClientTransport).sessionId!;
    const other = await fetch(`${base}/mcp/other`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${mcpToken}`,
        'mcp-session-id': sessionId,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(other.status).toBe(404);
  });

  test('disabling the plugin in the workspace sends tools/list_changed, and its tools are gone', async () => {
    const client = await connect('shop');
    let changed = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      changed++;
    });
    await client.listTools();
    // The notification stream (GET) opens right after initialize; give it a moment to be there.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const put = (enabled: boolean | null) =>
      app.server.inject({
        method: 'PUT',
        url: '/api/plugins/model-stewards/workspaces/shop',
        headers: { cookie: app.adminCookie },
        payload: { enabled },
      });
    expect((await put(false)).statusCode).toBe(200);
    await eventually('tools/list_changed', () => (changed > 0 ? true : undefined));
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).not.toContain('model-stewards.steward_of');
    const gone = errorOf(await client.callTool({ name: 'model-stewards.steward_of', arguments: { model: 'model.a' } }));
    expect(gone).toMatchObject({
      code: 'tool_unavailable',
      message: expect.stringContaining('disabled in workspace shop'),
    });
    expect((await put(null)).statusCode).toBe(200);
    await eventually('the second tools/list_changed', () => (changed > 1 ? true : undefined));
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('model-stewards.steward_of');
  });
});
