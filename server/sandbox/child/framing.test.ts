import { describe, expect, test } from 'vitest';
import { createFrameReader, encodeFrame } from './framing.ts';

function reader(max: number) {
  const got: { id: number; message: unknown }[] = [];
  const skipped: { id: number; bytes: number }[] = [];
  const feed = createFrameReader(max, {
    frame: (id, message) => got.push({ id, message }),
    oversized: (id, bytes) => skipped.push({ id, bytes }),
  });
  return { feed, got, skipped };
}

describe('frames', () => {
  test('messages split across chunks, or several in one chunk, come out whole and in order', () => {
    const { feed, got } = reader(1024);
    const bytes = Buffer.concat([encodeFrame(1, { a: 1 }), encodeFrame(0, 'two'), encodeFrame(7, [3])]);
    for (let i = 0; i < bytes.length; i += 3) feed(bytes.subarray(i, i + 3));
    expect(got).toEqual([
      { id: 1, message: { a: 1 } },
      { id: 0, message: 'two' },
      { id: 7, message: [3] },
    ]);
  });

  test('a frame over the limit is skipped without being held, and the stream goes on after it', () => {
    const { feed, got, skipped } = reader(64);
    const big = encodeFrame(5, 'x'.repeat(1000));
    feed(Buffer.concat([big.subarray(0, 100)]));
    feed(Buffer.concat([big.subarray(100), encodeFrame(6, 'after')]));
    expect(skipped).toEqual([{ id: 5, bytes: 1002 }]);
    expect(got).toEqual([{ id: 6, message: 'after' }]);
  });

  test('a frame that is not JSON comes out as undefined', () => {
    const { feed, got } = reader(64);
    const header = Buffer.alloc(8);
    header.writeUInt32BE(3, 0);
    feed(Buffer.concat([header, Buffer.from('{{{')]));
    expect(got).toEqual([{ id: 0, message: undefined }]);
  });
});
