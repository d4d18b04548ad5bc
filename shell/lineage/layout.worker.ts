// The lineage layout, off the main thread: receives `{id, input}`, answers `{id, positions}` or `{id, error}`.
import { computeLayout, elkInstance, type LayoutInput } from './layout.ts';

interface WorkerScope {
  onmessage: ((event: MessageEvent<{ id: number; input: LayoutInput }>) => void) | null;
  postMessage(message: unknown): void;
}

const scope = self as unknown as WorkerScope;

// ELK's bundle, when loaded inside a worker, sets `self.onmessage` to its own dispatcher: load it first, then
// take the handler back.
elkInstance();

scope.onmessage = (event) => {
  const { id, input } = event.data;
  computeLayout(input).then(
    (positions) => scope.postMessage({ id, positions }),
    (error: unknown) => scope.postMessage({ id, error: error instanceof Error ? error.message : String(error) }),
  );
};
