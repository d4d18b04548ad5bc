import type { LifecycleEvent } from '@dbt-workbench/plugin-sdk/contracts/lifecycle-events';
import type { PluginTrigger, RegistrationPoint, RouteMethod } from '@dbt-workbench/plugin-sdk/contracts/sandbox.schema';

/** A handler a plugin registered through its host, kept by id; the handler itself stays in the child. */
export interface Registration {
  handler: number;
  point: RegistrationPoint;
  method?: RouteMethod;
  path?: string;
  event?: LifecycleEvent;
  /** A scheduler trigger's definition (`schedule-trigger`). */
  trigger?: PluginTrigger;
  /** A tool handler's tool name (within its plugin). */
  tool?: string;
  priority: number;
  /** A before-call hook that refuses the call when it cannot decide (`host.tools.beforeCall` option). */
  onFailure?: 'refuse';
}

export interface RouteMatch {
  registration: Registration;
  params: Record<string, string>;
}

/** The registrations of one backend process. Routes match segment by segment; `:name` takes one segment. */
export interface Registrations {
  add(registration: Registration): void;
  remove(handler: number): boolean;
  /** A route of `method` matching `path`; exact segments win over parameters. */
  matchRoute(method: string, path: string): RouteMatch | null;
  /** Whether some route, of any method, matches `path`. */
  hasPath(path: string): boolean;
  /** Every registration, in the order they were made. */
  all(): Registration[];
  of(point: RegistrationPoint): Registration[];
  forEvent(event: LifecycleEvent): Registration[];
  /** The handler of a tool, by its name within the plugin. */
  tool(name: string): Registration | undefined;
  /** `GET /notes`, `event on-run-complete`, `artifact-load`: one line each, for diagnostics. */
  describe(): string[];
  size(): number;
}

const split = (p: string) => p.split('/').filter(Boolean);

function match(pattern: string, path: string): Record<string, string> | null {
  const want = split(pattern);
  const got = split(path);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (const [i, segment] of want.entries()) {
    const value = got[i]!;
    if (segment.startsWith(':')) params[segment.slice(1)] = decodeURIComponent(value);
    else if (segment !== value) return null;
  }
  return params;
}

/** Counts literal segments so `/notes/latest` wins over `/notes/:id`. */
const specificity = (pattern: string) => split(pattern).filter((s) => !s.startsWith(':')).length;

export function createRegistrations(initial: readonly Registration[] = []): Registrations {
  const byHandler = new Map<number, Registration>(initial.map((r) => [r.handler, r]));
  /** Routes, most specific first; rebuilt when registrations change, not per request. */
  let routes: Registration[] | null = null;
  const all = () => [...byHandler.values()];
  const routesMatching = (path: string) => {
    routes ??= all()
      .filter((r) => r.point === 'route' && r.path !== undefined)
      .sort((a, b) => specificity(b.path!) - specificity(a.path!));
    const found: RouteMatch[] = [];
    for (const registration of routes) {
      const params = safeMatch(registration.path!, path);
      if (params) found.push({ registration, params });
    }
    return found;
  };

  return {
    add(registration) {
      byHandler.set(registration.handler, registration);
      routes = null;
    },
    remove(handler) {
      routes = null;
      return byHandler.delete(handler);
    },
    matchRoute: (method, path) => routesMatching(path).find((m) => m.registration.method === method) ?? null,
    hasPath: (path) => routesMatching(path).length > 0,
    all,
    of: (point) => all().filter((r) => r.point === point),
    forEvent: (event) => all().filter((r) => r.point === 'event' && r.event === event),
    tool: (name) => all().find((r) => r.point === 'tool' && r.tool === name),
    describe: () =>
      all().map((r) =>
        r.point === 'route'
          ? `${r.method} ${r.path}`
          : r.point === 'event'
            ? `event ${r.event}`
            : r.point === 'tool'
              ? `tool ${r.tool}`
              : r.onFailure === 'refuse'
                ? `${r.point} (refuses calls when it fails)`
                : r.point,
      ),
    size: () => byHandler.size,
  };
}

function safeMatch(pattern: string, path: string): Record<string, string> | null {
  try {
    return match(pattern, path);
  } catch {
    return null; // a malformed %-escape in the path
  }
}
