import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createHostServices } from '../../server/features.ts';
import { createSandboxFeature } from '../../server/sandbox/feature.ts';
import { approve } from '../../server/sandbox/testing.ts';
import { startTestApp } from '../../server/testing/test-app.ts';
import { createToolsFeature } from '../../server/tools/feature.ts';
import { testManifest } from '../../shared/testing/manifests.ts';
import { median, ms, root, type BenchRow } from './support.ts';
import { until } from './sandbox-support.ts';

/** Plugins offering tools besides model-stewards: declared only (tools/list reads manifests, not backends). */
const EXTRA_TOOL_PLUGINS = 49;

function toolPlugin(index: number) {
  const name = `bench-tools-${index}`;
  return testManifest(name, {
    tools: [0, 1].map((n) => ({
      name: `tool_${n}`,
      title: `Tool ${n} of plugin ${index}`,
      description: 'A declared tool for the tools/list benchmark.',
      effect: n ? 'change' : 'read',
      parameters: { type: 'object', properties: { model: { type: 'string' } }, required: ['model'] },
    })),
  });
}

/** Alternates `a` and `b` `rounds` times each and returns the median latency of each, in ms. */
async function alternate(rounds: number, a: () => Promise<unknown>, b: () => Promise<unknown>) {
  const times = { a: [] as number[], b: [] as number[] };
  for (let i = 0; i < rounds; i++) {
    for (const [key, run] of i % 2
      ? ([
          ['a', a],
          ['b', b],
        ] as const)
      : ([
          ['b', b],
          ['a', a],
        ] as const)) {
      const started = performance.now();
      await run();
      times[key].push(performance.now() - started);
    }
  }
  return { a: median(times.a), b: median(times.b) };
}

/**
 * SPEC B15: `tools/call` over MCP vs the same handler through the plugin's route (both over loopback HTTP to
 * the model-stewards backend: the tool `steward_of` and `GET /api/ext/model-stewards/stewards/:model` answer
 * the same), and `tools/list` with 50 tool plugins active and enabled.
 */
export async function benchTools(): Promise<BenchRow> {
  const services = createHostServices();
  const app = await startTestApp({
    env: { PLUGINS_WATCH: 'false', PLUGIN_ROUTE_RATE: '1000000', PLUGIN_ROUTE_BURST: '1000000' },
    features: [createSandboxFeature(services), createToolsFeature(services)],
    prepare: (dir) => {
      cpSync(path.join(root, 'plugins/model-stewards'), path.join(dir, 'plugins/model-stewards'), {
        recursive: true,
        filter: (source) => !source.endsWith('.test.ts'),
      });
      for (let i = 0; i < EXTRA_TOOL_PLUGINS; i++) {
        const folder = path.join(dir, 'plugins', `bench-tools-${i}`);
        mkdirSync(folder, { recursive: true });
        writeFileSync(path.join(folder, 'manifest.json'), JSON.stringify(toolPlugin(i)));
      }
    },
  });
  const names = ['model-stewards', ...Array.from({ length: EXTRA_TOOL_PLUGINS }, (_, i) => `bench-tools-${i}`)];
  const client = new Client({ name: 'bench-agent', version: '1.0.0' });
  try {
    for (const name of names) await approve(app, name);
    await until('the plugins', async () => names.every((n) => app.plugins.get(n)?.state === 'active'));
    await app.server.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
    const made = await app.server.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: { cookie: app.adminCookie },
      payload: { name: 'bench agent', scopes: ['mcp'] },
    });
    const token = (made.json() as { token: string }).token;
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${url}/mcp/default`), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    const listed = (await client.listTools()).tools.length;
    const headers = { cookie: app.adminCookie, 'x-workbench-workspace': 'default' };
    // MCP as JSON-RPC over HTTP in the session the SDK's client opened: the server's part, as a plain fetch to
    // the route is. The SDK client's own work (validating each answer) is measured apart, for information.
    const sessionId = (client.transport as StreamableHTTPClientTransport).sessionId!;
    const rpc = async (method: string, params?: unknown) => {
      const answer = await fetch(`${url}/mcp/default`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'mcp-session-id': sessionId,
          'mcp-protocol-version': '2025-06-18',
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, ...(params ? { params } : {}) }),
      });
      const body = (await answer.json()) as { result?: { tools?: unknown[]; isError?: boolean } };
      if (!body.result || body.result.isError)
        throw new Error(`${method} answered ${JSON.stringify(body).slice(0, 300)}`);
      return body.result;
    };
    const steward = { name: 'model-stewards.steward_of', arguments: { model: 'model.a' } };
    const viaMcp = () => rpc('tools/call', steward);
    const viaSdk = async () => {
      if ((await client.callTool(steward)).isError) throw new Error('the SDK client got an error');
    };
    const viaRoute = async () => {
      const answer = await fetch(`${url}/api/ext/model-stewards/stewards/model.a`, { headers });
      if (!answer.ok) throw new Error(`route answered ${answer.status}`);
      await answer.json();
    };
    await until('the backend', async () => (await fetch(`${url}/api/ext/model-stewards/stewards/x`, { headers })).ok);
    await alternate(100, viaMcp, viaRoute); // warm-up
    const call = await alternate(600, viaMcp, viaRoute);
    const overhead = call.a - call.b;
    const sdk = await alternate(200, viaSdk, viaRoute);
    const rawList = async () => {
      const result = await rpc('tools/list');
      if (result.tools?.length !== listed) throw new Error(`tools/list answered ${result.tools?.length} tools`);
    };
    const list = await alternate(300, rawList, async () => {});
    return {
      id: 'B15',
      what: `a tool call over MCP vs the same handler through the plugin's route; tools/list with ${EXTRA_TOOL_PLUGINS + 1} tool plugins (${listed} tools)`,
      result:
        `call p50 ${ms(call.a)} vs ${ms(call.b)} (+${ms(overhead)}); tools/list p50 ${ms(list.a)}; ` +
        `sequential, loopback, 600 alternating calls (with the SDK's client in the same process: ${ms(sdk.a)} vs ${ms(sdk.b)})`,
      target: 'p50 overhead under 5 ms; tools/list under 20 ms',
      pass: overhead < 5 && list.a < 20,
    };
  } finally {
    await client.close().catch(() => {});
    await app.close();
  }
}

if (import.meta.main) console.log(await benchTools());
