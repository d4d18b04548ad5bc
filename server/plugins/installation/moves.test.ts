import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { rename } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';
import { moveDirectory } from './moves.ts';
import { writePluginFolder } from './testing.ts';

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return { ...real, rename: vi.fn(real.rename) };
});

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const crossDevice = () => Object.assign(new Error('EXDEV: cross-device link not permitted'), { code: 'EXDEV' });

test('a move across volumes copies into a hidden sibling, renames it into place and deletes the source', async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wb-moves-'));
  const from = writePluginFolder(path.join(dir, 'data', 'package'), 'owners');
  symlinkSync('icon.svg', path.join(from, 'static', 'logo.svg'));
  const to = path.join(dir, 'plugins', 'owners');
  const parent = path.dirname(to);
  mkdirSync(parent);
  vi.mocked(rename).mockClear();
  vi.mocked(rename).mockRejectedValueOnce(crossDevice());
  await moveDirectory(from, to);
  const renames = vi.mocked(rename).mock.calls;
  expect(renames).toHaveLength(2);
  expect(path.basename(String(renames[1]![0]))).toMatch(/^\.wb-copy-owners-/);
  expect(existsSync(from)).toBe(false);
  expect(JSON.parse(readFileSync(path.join(to, 'manifest.json'), 'utf8')).name).toBe('owners');
  expect(readlinkSync(path.join(to, 'static', 'logo.svg'))).toBe('icon.svg');
  expect(readdirSync(parent)).toEqual(['owners']);
});

test('other rename failures are not papered over', async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wb-moves-'));
  await expect(moveDirectory(path.join(dir, 'missing'), path.join(dir, 'to'))).rejects.toMatchObject({
    code: 'ENOENT',
  });
});
