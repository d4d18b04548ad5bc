// Length-prefixed frames over a byte stream: `[u32 length][u32 id][length bytes of UTF-8 JSON]`.
// Used on both sides of a plugin backend's fd 3. Imports nothing but Node built-ins: the sandboxed child may
// read only its own folder and this one. The reader never buffers a frame larger than its limit: it skips the
// bytes and reports the frame's id and size instead, so a child cannot make the server hold a huge message.

const HEADER = 8;

/** Encodes one message. `id` is the call a result answers (0 for other messages). */
export function encodeFrame(id: number, message: unknown): Buffer {
  return frameOf(id, JSON.stringify(message));
}

/** Encodes a message already serialised as JSON. */
export function frameOf(id: number, text: string): Buffer {
  const length = Buffer.byteLength(text, 'utf8');
  const frame = Buffer.allocUnsafe(HEADER + length);
  frame.writeUInt32BE(length, 0);
  frame.writeUInt32BE(id >>> 0, 4);
  frame.write(text, HEADER, 'utf8');
  return frame;
}

/**
 * Writes frames, coalescing those written in one turn of the event loop into one system call: under load, many
 * calls cross together. A frame still leaves in the same turn it was written.
 */
export function createFrameWriter(stream: NodeJS.WritableStream & { cork(): void; uncork(): void; writable: boolean }) {
  let corked = false;
  const uncork = () => {
    corked = false;
    stream.uncork();
  };
  return (frame: Buffer): void => {
    if (!stream.writable) return;
    if (!corked) {
      corked = true;
      stream.cork();
      setImmediate(uncork);
    }
    stream.write(frame);
  };
}

export interface FrameHandlers {
  /** A complete frame within the limit, parsed; `undefined` for a frame that is not JSON. */
  frame(id: number, message: unknown, bytes: number): void;
  /** A frame over the limit: its bytes are skipped, never held. */
  oversized(id: number, bytes: number): void;
}

/** Returns a function to feed with the stream's chunks. */
export function createFrameReader(maxBytes: number, handlers: FrameHandlers): (chunk: Buffer) => void {
  let buffered: Buffer[] = [];
  let bufferedBytes = 0;
  let header: { length: number; id: number } | null = null;
  let skipping = 0;

  function take(count: number): Buffer {
    const all = buffered.length === 1 ? buffered[0]! : Buffer.concat(buffered, bufferedBytes);
    const out = all.subarray(0, count);
    const rest = all.subarray(count);
    buffered = rest.length > 0 ? [rest] : [];
    bufferedBytes = rest.length;
    return out;
  }

  return (chunk) => {
    if (skipping > 0) {
      const skipped = Math.min(skipping, chunk.length);
      skipping -= skipped;
      chunk = chunk.subarray(skipped);
      if (chunk.length === 0) return;
    }
    buffered.push(chunk);
    bufferedBytes += chunk.length;
    for (;;) {
      if (!header) {
        if (bufferedBytes < HEADER) return;
        const head = take(HEADER);
        header = { length: head.readUInt32BE(0), id: head.readUInt32BE(4) };
        if (header.length > maxBytes) {
          const { id, length } = header;
          header = null;
          const available = Math.min(bufferedBytes, length);
          take(available);
          skipping = length - available;
          handlers.oversized(id, length);
          if (skipping > 0) return;
          continue;
        }
      }
      if (bufferedBytes < header.length) return;
      const body = take(header.length);
      const { id, length } = header;
      header = null;
      let message: unknown;
      try {
        message = JSON.parse(body.toString('utf8'));
      } catch {
        message = undefined;
      }
      handlers.frame(id, message, length);
    }
  };
}
