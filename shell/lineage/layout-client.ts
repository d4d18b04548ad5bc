import type { LayoutInput, Positions } from './layout.ts';

type Reply = { id: number; positions: Positions } | { id: number; error: string };

interface Pending {
  input: LayoutInput;
  resolve(positions: Positions): void;
  reject(error: Error): void;
}

let worker: Worker | null | undefined;
let nextId = 1;
const pending = new Map<number, Pending>();

async function onMainThread(input: LayoutInput): Promise<Positions> {
  const { computeLayout } = await import('./layout.ts');
  return computeLayout(input);
}

/** The layout worker, started on first use; null where workers cannot start (then layouts run on this thread). */
function layoutWorker(): Worker | null {
  if (worker !== undefined) return worker;
  try {
    worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module', name: 'lineage-layout' });
  } catch {
    worker = null;
    return worker;
  }
  worker.onmessage = (event: MessageEvent<Reply>) => {
    const job = pending.get(event.data.id);
    if (!job) return;
    pending.delete(event.data.id);
    if ('error' in event.data) job.reject(new Error(`The graph could not be laid out: ${event.data.error}`));
    else job.resolve(event.data.positions);
  };
  worker.onerror = () => {
    // The worker failed to load or crashed: finish its jobs here and stop using it.
    worker?.terminate();
    worker = null;
    for (const [id, job] of pending) {
      pending.delete(id);
      onMainThread(job.input).then(job.resolve, job.reject);
    }
  };
  return worker;
}

/** Lays a graph out left to right, in a web worker when the browser can start one. */
export function layoutGraph(input: LayoutInput): Promise<Positions> {
  const current = layoutWorker();
  if (!current) return onMainThread(input);
  return new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { input, resolve, reject });
    current.postMessage({ id, input });
  });
}
