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
  /** Calls every handler in order; one handler's failure is recorded and never stops the others. */
  run(payload: P): Promise<HookOutcome<R>[]>;
  size(): number;
}

export function createHookPoint<P, R = void>(name: string): HookPoint<P, R> {
  let handlers: HookHandler<P, R>[] = [];
  return {
    name,
    register(handler) {
      handlers = [...handlers, handler].sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0));
      return () => {
        handlers = handlers.filter((h) => h !== handler);
      };
    },
    async run(payload) {
      const outcomes: HookOutcome<R>[] = [];
      for (const handler of handlers) {
        const started = performance.now();
        try {
          const result = await handler.handle(payload);
          outcomes.push({ owner: handler.owner, ok: true, result, ms: performance.now() - started });
        } catch (error) {
          outcomes.push({
            owner: handler.owner,
            ok: false,
            error: error instanceof Error ? error.message : String(error),
            ms: performance.now() - started,
          });
        }
      }
      return outcomes;
    },
    size: () => handlers.length,
  };
}
