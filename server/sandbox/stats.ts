import type { Capability } from '@dbt-workbench/plugin-sdk/contracts/capabilities';
import type {
  BackendEvent,
  CallStats,
  RefusedCalls,
  RejectedAction,
} from '@dbt-workbench/plugin-sdk/contracts/sandbox.schema';

/** Timings kept per route, hook or event, for p50/p95: the latest ones. */
const SAMPLES = 512;
const KEEP_EVENTS = 50;
const KEEP_REJECTED = 50;
const KEEP_CRASHES = 20;
/** At most one `throttled` log line per this many ms, however many calls are refused. */
const REFUSED_NOTE_MS = 1000;

interface Series {
  kind: CallStats['kind'];
  name: string;
  count: number;
  errors: number;
  timeouts: number;
  retries: number;
  samples: number[];
  next: number;
  lastError?: string;
}

/** What the runtime recorded about one plugin backend; read by the diagnostics route. */
export interface StatsSnapshot {
  starts: number;
  restarts: number;
  crashes: number;
  recentCrashes: { at: string; reason: string }[];
  rejectedActions: RejectedAction[];
  rejectedCount: number;
  refusedCalls: RefusedCalls;
  calls: CallStats[];
  events: BackendEvent[];
  lastStartAt?: string;
  lastActivatedAt?: string;
  activationMs?: number;
}

/** What happened since the last `takeWindow()`: the raw material of one point of a plugin's cost history. */
export interface StatsWindow {
  calls: number;
  errors: number;
  timeouts: number;
  retries: number;
  restarts: number;
  /** Durations of every call in the window (ms), and of hooks and events only. */
  samples: number[];
  hookSamples: number[];
}

export interface PluginStats {
  call(kind: CallStats['kind'], name: string, ms: number, outcome: 'ok' | 'error' | 'timeout', error?: string): void;
  /** A hook or event was attempted again under its retry policy (after a failed attempt recorded by `call`). */
  retried(kind: CallStats['kind'], name: string): void;
  event(type: BackendEvent['type'], message: string): void;
  started(restart: boolean): void;
  activated(ms: number): void;
  crashed(reason: string): void;
  rejected(action: string, message: string, capability?: Capability): void;
  /**
   * A route call was refused before it reached the backend (429): too many in flight, or past the rate. Counted
   * every time; logged (a `throttled` event) at most once a second, with the number refused since the last line.
   */
  refused(limit: keyof RefusedCalls, message: string): void;
  snapshot(): StatsSnapshot;
  /** What happened since the previous call (or since start), and starts a new window. */
  takeWindow(): StatsWindow;
}

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const value = sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  return Math.round(value * 1000) / 1000;
}

const push = <T>(list: T[], item: T, keep: number) => {
  if (list.push(item) > keep) list.shift();
};

/** `onEvent` hears every `event(...)` as it is recorded (the plugin logs keep them as lifecycle lines). */
export function createPluginStats(
  now: () => Date = () => new Date(),
  onEvent?: (event: BackendEvent) => void,
): PluginStats {
  const series = new Map<string, Series>();
  const events: BackendEvent[] = [];
  const rejectedActions: RejectedAction[] = [];
  const recentCrashes: { at: string; reason: string }[] = [];
  const s = { starts: 0, restarts: 0, crashes: 0, rejectedCount: 0 } as StatsSnapshot & { rejectedCount: number };
  const emptyWindow = (): StatsWindow => ({
    calls: 0,
    errors: 0,
    timeouts: 0,
    retries: 0,
    restarts: 0,
    samples: [],
    hookSamples: [],
  });
  let window = emptyWindow();
  const refusedCalls: RefusedCalls = { concurrency: 0, rate: 0 };
  const event: PluginStats['event'] = (type, message) => {
    const entry = { at: now().toISOString(), type, message };
    push(events, entry, KEEP_EVENTS);
    onEvent?.(entry);
  };
  const refusedNote: { at: number; since: number; message: string; timer?: NodeJS.Timeout } = {
    at: -Infinity,
    since: 0,
    message: '',
  };
  const noteRefused = () => {
    clearTimeout(refusedNote.timer);
    refusedNote.timer = undefined;
    const count = refusedNote.since;
    if (count === 0) return;
    Object.assign(refusedNote, { at: now().getTime(), since: 0 });
    event('throttled', `${count} call${count === 1 ? '' : 's'} refused (429): ${refusedNote.message}`);
  };
  const seriesOf = (kind: CallStats['kind'], name: string): Series => {
    const key = `${kind} ${name}`;
    let entry = series.get(key);
    if (!entry)
      series.set(key, (entry = { kind, name, count: 0, errors: 0, timeouts: 0, retries: 0, samples: [], next: 0 }));
    return entry;
  };

  return {
    call(kind, name, ms, outcome, error) {
      const entry = seriesOf(kind, name);
      entry.count += 1;
      if (outcome === 'error') entry.errors += 1;
      if (outcome === 'timeout') entry.timeouts += 1;
      if (error) entry.lastError = error.slice(0, 500);
      if (entry.samples.length < SAMPLES) entry.samples.push(ms);
      else entry.samples[entry.next] = ms;
      entry.next = (entry.next + 1) % SAMPLES;
      window.calls += 1;
      if (outcome !== 'ok') window.errors += 1;
      if (outcome === 'timeout') window.timeouts += 1;
      window.samples.push(ms);
      if (kind === 'hook' || kind === 'event') window.hookSamples.push(ms);
    },
    retried(kind, name) {
      seriesOf(kind, name).retries += 1;
      window.retries += 1;
    },
    event,
    started(restart) {
      s.starts += 1;
      if (restart) {
        s.restarts += 1;
        window.restarts += 1;
      }
      s.lastStartAt = now().toISOString();
    },
    activated(ms) {
      s.lastActivatedAt = now().toISOString();
      s.activationMs = Math.round(ms * 10) / 10;
    },
    crashed(reason) {
      s.crashes += 1;
      push(recentCrashes, { at: now().toISOString(), reason }, KEEP_CRASHES);
    },
    rejected(action, message, capability) {
      s.rejectedCount += 1;
      push(
        rejectedActions,
        { at: now().toISOString(), action, message, ...(capability ? { capability } : {}) },
        KEEP_REJECTED,
      );
    },
    refused(limit, message) {
      refusedCalls[limit] += 1;
      refusedNote.since += 1;
      refusedNote.message = message;
      const wait = REFUSED_NOTE_MS - (now().getTime() - refusedNote.at);
      if (wait <= 0) noteRefused();
      // The rest of this second's refusals get their line when it ends, so the lines add up to the count.
      else refusedNote.timer ??= setTimeout(noteRefused, wait).unref();
    },
    snapshot() {
      const calls = [...series.values()].map((e) => {
        const sorted = [...e.samples].sort((a, b) => a - b);
        return {
          kind: e.kind,
          name: e.name,
          count: e.count,
          errors: e.errors,
          timeouts: e.timeouts,
          retries: e.retries,
          p50Ms: percentile(sorted, 50),
          p95Ms: percentile(sorted, 95),
          ...(e.lastError ? { lastError: e.lastError } : {}),
        };
      });
      return {
        ...s,
        refusedCalls: { ...refusedCalls },
        recentCrashes: [...recentCrashes],
        rejectedActions: [...rejectedActions],
        calls,
        events: [...events],
      };
    },
    takeWindow() {
      const taken = window;
      window = emptyWindow();
      return taken;
    },
  };
}
