import type { FastifyInstance, HTTPMethods } from 'fastify';

/** One route the server answers: a method and the path it was registered with, e.g. `GET /api/runs/:id`. */
export interface Route {
  method: HTTPMethods;
  path: string;
}

const line = /^((?:│ {3}| {4})*)(?:├── |└── )(\S*)(?: \(([A-Z, ]+)\))?$/;

/**
 * The routes in a `printRoutes()` tree: each line adds its segment to its parent's path and lists the methods
 * served there, e.g. `│   ├── vents (GET, HEAD)` below `e` below `/api/`. Pure.
 */
export function parseRouteTree(tree: string): Route[] {
  const prefixes: string[] = [];
  const routes: Route[] = [];
  for (const text of tree.split('\n').filter((l) => l.trim() !== '')) {
    const match = line.exec(text);
    if (!match) throw new Error(`printRoutes printed a line this parser does not know: "${text}"`);
    const depth = match[1]!.length / 4;
    const path = (prefixes[depth - 1] ?? '') + match[2]!;
    prefixes[depth] = path;
    prefixes.length = depth + 1;
    for (const method of match[3]?.split(', ') ?? []) routes.push({ method: method as HTTPMethods, path });
  }
  return routes;
}

/**
 * Every route `server` registered, read from its own router (call after `ready()`), sorted by path then method.
 * Each one is looked up again with `hasRoute`, so a misread tree fails here rather than in a matrix.
 */
export function routeTable(server: FastifyInstance): Route[] {
  const routes = parseRouteTree(server.printRoutes());
  for (const route of routes) {
    if (!server.hasRoute({ method: route.method, url: route.path }))
      throw new Error(`printRoutes listed ${route.method} ${route.path}, which the router does not find`);
  }
  return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}
