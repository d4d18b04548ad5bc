import type { RunLogChunk } from '@dbt-workbench/plugin-sdk/contracts/runs.schema';

type Stream = RunLogChunk['stream'];

export interface LogWriterOptions {
  /** The seq of the run's last stored chunk; new chunks follow it. */
  lastSeq?: number;
  /** How long lines wait before they are written together. */
  flushMs?: number;
  /** Pending text that forces a write at once. */
  flushBytes?: number;
  /** Log text kept per run; what comes after is dropped with one notice, so a chatty command cannot fill the disk. */
  maxBytes?: number;
  /** Longest line kept; the rest of a longer line is cut. */
  maxLineBytes?: number;
}

/** Collects a run's output lines and stores them as chunks, a batch at a time, in order. */
export interface LogWriter {
  line(stream: Stream, text: string): void;
  /** Waits until every line given so far is stored. */
  flush(): Promise<void>;
}

/** A log writer over `store`; a failing store is reported to `onError` and never throws into the run. */
export function createLogWriter(
  store: (chunks: RunLogChunk[]) => Promise<void>,
  onError: (error: unknown) => void,
  options: LogWriterOptions = {},
): LogWriter {
  const { flushMs = 150, flushBytes = 64 * 1024, maxBytes = 20 * 1024 * 1024, maxLineBytes = 16 * 1024 } = options;
  let seq = options.lastSeq ?? -1;
  let pending: RunLogChunk[] = [];
  let pendingBytes = 0;
  let storedBytes = 0;
  let truncated = false;
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();

  function write(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = pending;
    pending = [];
    pendingBytes = 0;
    if (batch.length > 0) writing = writing.then(() => store(batch)).catch(onError);
    return writing;
  }

  function add(stream: Stream, text: string): void {
    const last = pending.at(-1);
    if (last && last.stream === stream) last.text += text;
    else pending.push({ seq: ++seq, stream, text, at: new Date().toISOString() });
    pendingBytes += text.length;
    if (pendingBytes >= flushBytes) void write();
    else timer ??= setTimeout(() => void write(), flushMs);
  }

  return {
    line(stream, text) {
      // Server notes (`system`) are always kept: they say how the run ended.
      if (truncated && stream !== 'system') return;
      const line = text.length > maxLineBytes ? `${text.slice(0, maxLineBytes)} … (line cut)` : text;
      if (stream !== 'system' && storedBytes + line.length > maxBytes) {
        truncated = true;
        add('system', `The log reached ${Math.round(maxBytes / 1024 / 1024)} MB; later output is not kept.\n`);
        return;
      }
      storedBytes += line.length + 1;
      add(stream, `${line}\n`);
    },
    flush: write,
  };
}
