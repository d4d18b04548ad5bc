import { reportTelemetry } from '../../shared/http/plugin-operations.ts';
import type { FrontendEvent } from '../../shared/telemetry.schema.ts';
import { useLoadProblems, type LoadProblem } from './load-problems.ts';

const kindOf: Record<LoadProblem['code'], FrontendEvent['kind']> = {
  'load-failed': 'load-error',
  'render-failed': 'render-error',
  'bridge-refused': 'bridge-refused',
  'bridge-flood': 'bridge-flood',
  'frame-unresponsive': 'frame-unresponsive',
};

const FLUSH_MS = 5_000;

/**
 * Batches what this browser sees of plugins (module load times, load and render failures) and sends it
 * to the server every few seconds and when the page goes away, so admins see each plugin's cost.
 */
export function createTelemetryReporter(url: string = reportTelemetry.path) {
  const queue: FrontendEvent[] = [];
  const flush = (leaving = false) => {
    if (queue.length === 0) return;
    const body = JSON.stringify({ events: queue.splice(0, 200) });
    if (leaving && navigator.sendBeacon) navigator.sendBeacon(url, new Blob([body], { type: 'application/json' }));
    else
      void fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, keepalive: true }).catch(
        () => {},
      );
  };
  setInterval(flush, FLUSH_MS);
  addEventListener('pagehide', () => flush(true));
  // Failures are already collected for the Plugins page; forward each new one.
  let seen = 0;
  useLoadProblems.subscribe((state) => {
    for (const problem of state.problems.slice(seen)) {
      queue.push({
        plugin: problem.plugin,
        kind: kindOf[problem.code],
        message: problem.message.slice(0, 500),
      });
    }
    seen = state.problems.length;
  });
  return {
    loaded(plugin: string, ms: number): void {
      queue.push({ plugin, kind: 'load', ms: Math.round(ms) });
    },
  };
}
