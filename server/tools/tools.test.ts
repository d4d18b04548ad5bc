import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ToolCallResult, ToolList } from '../../shared/tools.schema.ts';
import { callExt, eventually } from '../sandbox/testing.ts';
import type { TestApp } from '../testing/test-app.ts';
import { callTool, startToolsApp } from './testing.ts';

let app: TestApp;
let viewer: string;
let developer: string;
beforeAll(async () => {
  app = await startToolsApp(['tool-guard', 'tool-misfit']);
  viewer = await app.userWithRoles('vera', { shop: 'viewer' });
  developer = await app.userWithRoles('dev', { shop: 'developer', other: 'developer' });
}, 60_000);
afterAll(() => app?.close());

const list = async (cookie: string, workspace = 'shop') => {
  const response = await app.server.inject({ url: `/api/workspaces/${workspace}/tools`, headers: { cookie } });
  expect(response.statusCode).toBe(200);
  return (response.json() as ToolList).tools;
};
const ranInMisfit = async () => (await callExt(app, '/api/ext/tool-misfit/ran', { workspace: 'shop' })).json().ran;

describe('GET /api/workspaces/:workspace/tools', () => {
  test("lists the core tools the caller's role allows and the tools of plugins enabled there, with schemas", async () => {
    const forViewer = await list(viewer);
    const ids = forViewer.map((t) => t.id);
    expect(ids).toEqual(expect.arrayContaining(['search_models', 'get_node', 'lineage', 'list_runs']));
    expect(ids).toContain('model-stewards.steward_of');
    // Changes and SQL need a developer.
    expect(ids).not.toContain('start_run');
    expect(ids).not.toContain('run_sql');
    expect(ids).not.toContain('model-stewards.assign_steward');
    const forDeveloper = (await list(developer)).map((t) => t.id);
    expect(forDeveloper).toEqual(expect.arrayContaining(['start_run', 'run_sql', 'model-stewards.assign_steward']));
    const steward = forViewer.find((t) => t.id === 'model-stewards.steward_of')!;
    expect(steward).toMatchObject({
      effect: 'read',
      view: 'json',
      plugin: { name: 'model-stewards', version: '1.0.0' },
      parameters: { required: ['model'] },
    });
    expect(forViewer.find((t) => t.id === 'search_models')).toMatchObject({ plugin: null, view: 'table' });
  });

  test('a non-member gets 404 as for any workspace route', async () => {
    const outsider = await app.userWithRoles('otto', { other: 'viewer' });
    const response = await app.server.inject({ url: '/api/workspaces/shop/tools', headers: { cookie: outsider } });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('workspace_not_found');
  });
});

describe('POST /api/workspaces/:workspace/tools/:tool/call', () => {
  test('core tools answer from the catalog, lineage and runs, under the caller’s rights', async () => {
    const search = await callTool(app, 'shop', 'search_models', { query: 'orders' }, viewer);
    expect(search.statusCode).toBe(200);
    const found = search.json() as ToolCallResult;
    expect(found.view).toBe('table');
    expect(found.result.rows).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'orders' })]));
    const node = await callTool(app, 'shop', 'get_node', { uniqueId: 'model.jaffle_shop.orders' }, viewer);
    expect(node.statusCode).toBe(200);
    expect((node.json() as ToolCallResult).result).toMatchObject({ uniqueId: 'model.jaffle_shop.orders' });
    expect((node.json() as ToolCallResult).result.columns).toBeDefined();
    const lineage = await callTool(app, 'shop', 'lineage', { uniqueId: 'model.jaffle_shop.orders', up: 1 }, viewer);
    expect(lineage.statusCode).toBe(200);
    expect((lineage.json() as ToolCallResult).result.nodes).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: 'model.jaffle_shop.orders' })]),
    );
    const runs = await callTool(app, 'shop', 'list_runs', {}, viewer);
    expect(runs.statusCode).toBe(200);
    expect((runs.json() as ToolCallResult).result.rows).toEqual([]);
  });

  test('a viewer may not start a run or run SQL: 403 naming the role, and no run starts', async () => {
    const start = await callTool(app, 'shop', 'start_run', {}, viewer);
    expect(start.statusCode).toBe(403);
    expect(start.json().error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('developer') });
    const sql = await callTool(app, 'shop', 'run_sql', { sql: 'select 1' }, viewer);
    expect(sql.statusCode).toBe(403);
    const runs = await callTool(app, 'shop', 'list_runs', {}, viewer);
    expect((runs.json() as ToolCallResult).result.rows).toEqual([]);
  });

  test("a plugin's tools: the change is made as the caller and read back", async () => {
    const assigned = await callTool(
      app,
      'shop',
      'model-stewards.assign_steward',
      { model: 'model.a', steward: 'finance' },
      developer,
    );
    expect(assigned.statusCode).toBe(200);
    expect((assigned.json() as ToolCallResult).result).toEqual({
      model: 'model.a',
      steward: 'finance',
      previous: null,
      assignedBy: 'dev',
    });
    const read = await callTool(app, 'shop', 'model-stewards.steward_of', { model: 'model.a' }, viewer);
    expect((read.json() as ToolCallResult).result).toMatchObject({ steward: 'finance' });
    const asViewer = await callTool(
      app,
      'shop',
      'model-stewards.assign_steward',
      { model: 'model.a', steward: 'x' },
      viewer,
    );
    expect(asViewer.statusCode).toBe(403);
  });

  test('schema-invalid arguments: 400 with each field, and the backend never sees them', async () => {
    const missing = await callTool(app, 'shop', 'model-stewards.assign_steward', { model: 'model.b' }, developer);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error).toMatchObject({
      code: 'tool_arguments_invalid',
      message: expect.stringContaining('/steward'),
      details: [{ field: '/steward', message: "must have required property 'steward'" }],
    });
    const wrongType = await callTool(app, 'shop', 'model-stewards.steward_of', { model: 42, extra: true }, viewer);
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().error.details).toEqual(
      expect.arrayContaining([
        { field: '/model', message: 'must be string' },
        { field: '/extra', message: 'is not a parameter of this tool' },
      ]),
    );
    const read = await callTool(app, 'shop', 'model-stewards.steward_of', { model: 'model.b' }, viewer);
    expect((read.json() as ToolCallResult).result).toMatchObject({ steward: null });
    const notObject = await app.server.inject({
      method: 'POST',
      url: '/api/workspaces/shop/tools/search_models/call',
      headers: { cookie: viewer },
      payload: { arguments: 'orders' },
    });
    expect(notObject.statusCode).toBe(400);
    expect(notObject.json().error.code).toBe('bad_request');
  });

  test('an unknown tool, a tool of a plugin disabled here, and a missing capability each have their own error; nothing runs', async () => {
    const unknown = await callTool(app, 'shop', 'drop_everything', {});
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toMatchObject({
      code: 'tool_not_found',
      message: 'No tool named "drop_everything" in shop',
    });
    expect((await callTool(app, 'shop', 'model-stewards.nope', {})).json().error.code).toBe('tool_not_found');
    // Registered by the backend but never declared: no caller reaches it.
    expect((await callTool(app, 'shop', 'tool-misfit.undeclared', {})).json().error.code).toBe('tool_not_found');

    const put = (enabled: boolean | null) =>
      app.server.inject({
        method: 'PUT',
        url: '/api/plugins/model-stewards/workspaces/other',
        headers: { cookie: app.adminCookie },
        payload: { enabled },
      });
    expect((await put(false)).statusCode).toBe(200);
    await eventually('the disable', () =>
      app.plugins.get('model-stewards')?.enabledWorkspaces.includes('other') ? undefined : true,
    );
    const disabled = await callTool(app, 'other', 'model-stewards.steward_of', { model: 'model.a' }, developer);
    expect(disabled.statusCode).toBe(409);
    expect(disabled.json().error).toMatchObject({
      code: 'tool_unavailable',
      message:
        'The tool model-stewards.steward_of cannot be used: plugin model-stewards is disabled in workspace other',
    });
    expect((await list(developer, 'other')).map((t) => t.id)).not.toContain('model-stewards.steward_of');
    expect((await list(developer, 'shop')).map((t) => t.id)).toContain('model-stewards.steward_of');
    await put(null);

    const before = await ranInMisfit();
    const capability = await callTool(app, 'shop', 'tool-misfit.read_sql', {});
    expect(capability.statusCode).toBe(403);
    expect(capability.json().error).toMatchObject({
      code: 'tool_capability_missing',
      message: expect.stringContaining('access-sql-workspace'),
    });
    expect(await ranInMisfit()).toBe(before);
  });

  test("a result outside the tool's schema is not passed on (502), nor a tool the backend never registered (409)", async () => {
    const wrong = await callTool(app, 'shop', 'tool-misfit.wrong_shape', {});
    expect(wrong.statusCode).toBe(502);
    expect(wrong.json().error).toMatchObject({ code: 'tool_result_invalid', details: [{ field: '/count' }] });
    expect(JSON.stringify(wrong.json())).not.toContain('many');
    const diagnostics = await app.server.inject({
      url: '/api/plugins/tool-misfit/diagnostics',
      headers: { cookie: app.adminCookie },
    });
    expect(diagnostics.json().rejectedActions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'tool wrong_shape',
          message: expect.stringContaining('/count must be integer'),
        }),
      ]),
    );
    expect(diagnostics.json().calls).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'tool', name: 'wrong_shape', count: 1 })]),
    );
    const never = await callTool(app, 'shop', 'tool-misfit.never_registered', {});
    expect(never.statusCode).toBe(409);
    expect(never.json().error.message).toContain('did not register it');
  });

  test('a policy plugin refuses with a reason the caller sees; hooks observe calls and errors', async () => {
    const refused = await callTool(
      app,
      'shop',
      'model-stewards.assign_steward',
      { model: 'model.c', steward: 'nobody' },
      developer,
    );
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({
      code: 'tool_refused',
      message: 'Plugin tool-guard refused the call of model-stewards.assign_steward: every model needs a real steward',
    });
    const read = await callTool(app, 'shop', 'model-stewards.steward_of', { model: 'model.c' }, developer);
    expect((read.json() as ToolCallResult).result).toMatchObject({ steward: null });
    const seen = await eventually('the hooks', async () => {
      const all = (await callExt(app, '/api/ext/tool-guard/seen', { workspace: 'shop' })).json() as {
        hook: string;
        tool: string;
        detail?: unknown;
      }[];
      return all.some((s) => s.hook === 'after' && s.tool === 'model-stewards.steward_of') &&
        all.some((s) => s.hook === 'error' && s.detail === 'tool_refused')
        ? all
        : undefined;
    });
    expect(seen).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ hook: 'before', tool: 'model-stewards.assign_steward', via: 'palette', user: 'dev' }),
      ]),
    );
  });

  test('hooking tool calls without intercept-tool-calls is refused, and the would-be policy stops nothing', async () => {
    const misfit = (await callExt(app, '/api/ext/tool-misfit/ran', { workspace: 'shop' })).json();
    expect(misfit.hookRefused).toContain('intercept-tool-calls');
    const search = await callTool(app, 'shop', 'search_models', { query: 'orders' }, viewer);
    expect(search.statusCode).toBe(200);
  });

  test('every call is audited with its outcome, refused ones too', async () => {
    await callTool(app, 'shop', 'search_models', { query: 'customers' }, viewer);
    await callTool(app, 'shop', 'search_models', { nope: 1 }, viewer);
    type Entry = { actorName: string; workspace: string; details: { ok?: boolean } };
    // The audit line is written once the answer is on its way.
    const entries = await eventually('both audit lines', async () => {
      const audit = await app.server.inject({
        url: '/api/audit?action=tool.call&target=search_models',
        headers: { cookie: app.adminCookie },
      });
      const all = audit.json().entries as Entry[];
      return all.some((e) => e.details.ok === false) && all.some((e) => e.details.ok) ? all : undefined;
    });
    const details = entries.map((e) => e.details);
    expect(details).toEqual(
      expect.arrayContaining([
        { via: 'palette', ok: true },
        expect.objectContaining({ via: 'palette', ok: false, code: 'tool_arguments_invalid' }),
      ]),
    );
    expect(entries[0]).toMatchObject({ workspace: 'shop', actorName: 'vera' });
  });
});
