import type { Readable, Writable } from 'node:stream';
import { ChildMessage, type ServerMessage } from '@dbt-workbench/plugin-sdk/contracts/sandbox.schema';
import { createFrameReader, createFrameWriter, encodeFrame } from './child/framing.ts';

export interface ChannelHandlers {
  message(message: ChildMessage): void;
  /** A frame over the size limit (skipped unread); `id` is the call it claims to answer, 0 for none. */
  oversized(id: number, bytes: number): void;
  /** A frame that is not valid JSON or not a message the protocol knows. */
  malformed(problem: string): void;
}

export interface Channel {
  send(message: ServerMessage): void;
  close(): void;
}

/** A successful result, checked by hand: the hot path of every call, where a schema parse costs too much. */
function okResult(raw: unknown): ChildMessage | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as { type?: unknown; id?: unknown; ok?: unknown };
  const valid = m.type === 'result' && m.ok === true && Number.isInteger(m.id) && (m.id as number) > 0;
  return valid ? (raw as ChildMessage) : undefined;
}

/** The server's end of a child's fd 3: frames out, validated messages in. Nothing the child sends is trusted. */
export function openChannel(stream: Readable & Writable, maxFrameBytes: number, handlers: ChannelHandlers): Channel {
  const feed = createFrameReader(maxFrameBytes, {
    frame(_id, raw) {
      const fast = okResult(raw);
      if (fast) return handlers.message(fast);
      const parsed = ChildMessage.safeParse(raw);
      if (parsed.success) handlers.message(parsed.data);
      else {
        const issue = parsed.error.issues[0];
        handlers.malformed(`${issue?.path.join('.') || 'message'}: ${issue?.message ?? 'not a known message'}`);
      }
    },
    oversized: handlers.oversized,
  });
  stream.on('data', feed);
  const write = createFrameWriter(stream);
  // A dying child resets the socket; the exit handler reports why.
  stream.on('error', () => {});
  return {
    send(message) {
      write(encodeFrame(0, message));
    },
    close() {
      stream.destroy();
    },
  };
}
