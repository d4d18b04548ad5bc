/** Undoes a registration. Every `register` returns one, which is what makes disable and reload clean. */
export type Disposer = () => void;

export interface HookOutcome<R> {
  /** Who registered the handler: `core` or a plugin name. */
  owner: string;
  ok: boolean;
  result?: R;
  error?: string;
  ms: number;
}

export interface HookHandler<P, R> {
  owner: string;
  /** Lower runs first; equal priorities run in registration order. */
  priority?: number;
  handle(payload: P): Promise<R> | R;
}

/** A seam in the host where extensions run: artifact load, lineage build, run start and so on. */
export interface HookPoint<P, R = void> {
  readonly name: string;
  register(handler: HookHandler<P, R>): Disposer;
  /** Calls every handler (in order unless concurrent); one handler's failure never stops the others. */
  run(payload: P): Promise<HookOutcome<R>[]>;
  size(): number;
}

/**
 * `concurrent`: the handlers run at once, for a seam where none sees another's result (each artifact-load patch
 * lands under its own owner); each plugin's handler runs in its own process, so they share the machine's cores.
 * Outcomes stay in handler order either way.
 */
export function createHookPoint<P, R = void>(name: string, options: { concurrent?: boolean } = {}): HookPoint<P, R> {
  let handlers: HookHandler<P, R>[] = [];
  async function runOne(handler: HookHandler<P, R>, payload: P): Promise<HookOutcome<R>> {
    const started = performance.now();
    try {
      const result = await handler.handle(payload);
      return { owner: handler.owner, ok: true, result, ms: performance.now() - started };
    } catch (error) {
      return {
        owner: handler.owner,
        ok: false,
        error: error instanceof Error ? error.message : String(error),
        ms: performance.now() - started,
      };
    }
  }
  return {
    name,
    register(handler) {
      handlers = [...handlers, handler].sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0));
      return () => {
        handlers = handlers.filter((h) => h !== handler);
      };
    },
    async run(payload) {
      if (options.concurrent) return Promise.all(handlers.map((handler) => runOne(handler, payload)));
      const outcomes: HookOutcome<R>[] = [];
      for (const handler of handlers) outcomes.push(await runOne(handler, payload));
      return outcomes;
    },
    size: () => handlers.length,
  };
}
