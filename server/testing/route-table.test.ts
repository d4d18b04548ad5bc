import Fastify from 'fastify';
import { expect, test } from 'vitest';
import { parseRouteTree, routeTable } from './route-table.ts';

test('a printRoutes tree reads as full paths, each with its methods', () => {
  const tree = [
    '└── /',
    '    ├── api/',
    '    │   ├── e',
    '    │   │   ├── vents (GET, HEAD)',
    '    │   │   └── xt/',
    '    │   │       └── :plugin (GET, POST)',
    '    │   │           └── /',
    '    │   │               └── * (DELETE)',
    '    │   └── info (GET)',
    '    └── plugins/',
  ].join('\n');
  expect(parseRouteTree(tree)).toEqual([
    { method: 'GET', path: '/api/events' },
    { method: 'HEAD', path: '/api/events' },
    { method: 'GET', path: '/api/ext/:plugin' },
    { method: 'POST', path: '/api/ext/:plugin' },
    { method: 'DELETE', path: '/api/ext/:plugin/*' },
    { method: 'GET', path: '/api/info' },
  ]);
  expect(() => parseRouteTree('└── / (GET)\n    ?? odd')).toThrow(/does not know: " {4}\?\? odd"/);
});

test("a server's route table lists every route it registered, HEAD twins included", async () => {
  const app = Fastify();
  const ok = async () => 'ok';
  app.get('/api/workspaces/:workspace/runs', ok);
  app.post('/api/workspaces/:workspace/runs', ok);
  app.get('/api/workspaces/:workspace/runs/:id', ok);
  app.route({ method: ['PUT', 'DELETE'], url: '/api/ext/:plugin/*', handler: ok });
  app.post('/api/auth/login', ok);
  await app.ready();
  expect(routeTable(app).map((r) => `${r.method} ${r.path}`)).toEqual([
    'POST /api/auth/login',
    'DELETE /api/ext/:plugin/*',
    'PUT /api/ext/:plugin/*',
    'GET /api/workspaces/:workspace/runs',
    'HEAD /api/workspaces/:workspace/runs',
    'POST /api/workspaces/:workspace/runs',
    'GET /api/workspaces/:workspace/runs/:id',
    'HEAD /api/workspaces/:workspace/runs/:id',
  ]);
  await app.close();
});
