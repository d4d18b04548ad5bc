import { afterAll, beforeAll, expect, test } from 'vitest';
import type { TestApp } from '../testing/test-app.ts';
import { callTool, startToolsApp } from './testing.ts';

// A before-call hook that cannot decide (it throws, passes its deadline) lets the call through by default, and
// refuses it when registered with `onFailure: 'refuse'`: a policy plugin's admin can rely on it holding.

let app: TestApp;
beforeAll(async () => {
  app = await startToolsApp(['tool-strict-guard']);
}, 60_000);
afterAll(() => app?.close());

test('a call the policy decides on goes through, although an observer hook of the same plugin throws', async () => {
  const search = await callTool(app, 'shop', 'search_models', { query: 'orders' });
  expect(search.statusCode).toBe(200);
  const refused = await callTool(app, 'shop', 'search_models', { query: 'secret' });
  expect(refused.statusCode).toBe(403);
  expect(refused.json().error.message).toBe('Plugin tool-strict-guard refused the call of search_models: no secrets');
});

test('a policy whose check throws refuses the call, naming the failure', async () => {
  const lineage = await callTool(app, 'shop', 'lineage', { uniqueId: 'model.jaffle_shop.orders' });
  expect(lineage.statusCode).toBe(403);
  expect(lineage.json().error).toMatchObject({ code: 'tool_refused', details: { plugin: 'tool-strict-guard' } });
  expect(lineage.json().error.message).toMatch(
    /^Plugin tool-strict-guard refused the call of lineage: its policy could not decide \(.*the policy table is unreachable.*\), and it refuses calls then$/,
  );
});

test('a policy that never answers refuses the call at its deadline', async () => {
  const started = Date.now();
  const runs = await callTool(app, 'shop', 'list_runs', {});
  expect(runs.statusCode).toBe(403);
  expect(runs.json().error.message).toContain('its policy could not decide');
  expect(Date.now() - started).toBeGreaterThanOrEqual(450);
});

test("the plugin's diagnostics show which hook refuses on failure, and count the failures", async () => {
  const response = await app.server.inject({
    url: '/api/plugins/tool-strict-guard/diagnostics',
    headers: { cookie: app.adminCookie },
  });
  expect(response.statusCode).toBe(200);
  const diagnostics = response.json();
  expect(diagnostics.registrations).toEqual(['tool-before', 'tool-before (refuses calls when it fails)']);
  // Four calls reached both hooks: the observer threw at each, the policy once, and once passed its deadline.
  expect(diagnostics.calls).toEqual([
    expect.objectContaining({ kind: 'hook', name: 'tool-before', count: 8, errors: 5, timeouts: 1 }),
  ]);
});
