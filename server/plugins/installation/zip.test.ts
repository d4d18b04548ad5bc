import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import {
  checkTree,
  entryPathProblem,
  packageRoot,
  PackageError,
  symlinkTargetInside,
  unpackZip,
} from './package-files.ts';
import { readZipEntries, readZipEntry, ZipError } from '@dbt-workbench/plugin-sdk/node/zip-reader';
import { writeZip, zipInputsFromDirectory } from '@dbt-workbench/plugin-sdk/node/zip-writer';

const roomy = { maxEntries: 100, maxTotalBytes: 10_000_000 };
const limits = { maxBytes: 10_000_000, maxFiles: 100 };

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});
function tempDir(): string {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wb-zip-'));
  return dir;
}

async function rejection(work: Promise<unknown>): Promise<PackageError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PackageError);
  return error as PackageError;
}

describe('zip writer and reader', () => {
  test.each([true, false])('round-trips files, folders, modes and symlinks (compress: %s)', (compress) => {
    const text = 'select 1;\n'.repeat(500);
    const zip = writeZip(
      [
        { name: 'manifest.json', data: '{"name":"x"}' },
        { name: 'static/' },
        { name: 'static/big.sql', data: text },
        { name: 'bin/run.sh', data: '#!/bin/sh\n', mode: 0o755 },
        { name: 'static/alias.sql', symlinkTo: 'big.sql' },
        { name: 'empty.txt', data: '' },
      ],
      { compress },
    );
    const entries = readZipEntries(zip, roomy);
    expect(entries.map((e) => [e.name, e.kind])).toEqual([
      ['manifest.json', 'file'],
      ['static/', 'directory'],
      ['static/big.sql', 'file'],
      ['bin/run.sh', 'file'],
      ['static/alias.sql', 'symlink'],
      ['empty.txt', 'file'],
    ]);
    const big = entries[2]!;
    expect(big.method).toBe(compress ? 8 : 0);
    expect(compress ? big.compressedSize < big.size : big.compressedSize === big.size).toBe(true);
    expect(readZipEntry(zip, big).toString()).toBe(text);
    expect(entries[3]!.mode).toBe(0o755);
    expect(readZipEntry(zip, entries[4]!).toString()).toBe('big.sql');
    expect(readZipEntry(zip, entries[5]!).length).toBe(0);
  });

  test('the same files always pack to the same bytes', () => {
    const files = [{ name: 'a.txt', data: 'a' }];
    expect(writeZip(files).equals(writeZip(files))).toBe(true);
  });

  test('reads a folder into entries, sorted, and unpacks it back identically', async () => {
    const root = tempDir();
    mkdirSync(path.join(root, 'src', 'static'), { recursive: true });
    writeFileSync(path.join(root, 'src', 'manifest.json'), '{}');
    writeFileSync(path.join(root, 'src', 'static', 'icon.svg'), '<svg/>');
    symlinkSync('icon.svg', path.join(root, 'src', 'static', 'logo.svg'));
    const zip = writeZip(await zipInputsFromDirectory(path.join(root, 'src')));
    await unpackZip(zip, path.join(root, 'out'), limits);
    expect(readFileSync(path.join(root, 'out', 'static', 'icon.svg'), 'utf8')).toBe('<svg/>');
    expect(readlinkSync(path.join(root, 'out', 'static', 'logo.svg'))).toBe('icon.svg');
    expect(lstatSync(path.join(root, 'out', 'manifest.json')).mode & 0o777).toBe(0o644);
  });

  test('refuses what is not a zip, truncated archives and data that fails its checksum', () => {
    expect(() => readZipEntries(Buffer.from('definitely not a zip file at all'), roomy)).toThrow('not a zip archive');
    const zip = writeZip([{ name: 'a.txt', data: 'hello world, hello world' }], { compress: false });
    expect(() => readZipEntries(zip.subarray(0, zip.length - 30), roomy)).toThrow(ZipError);
    const flipped = Buffer.from(zip);
    const first = 30 + 'a.txt'.length; // the first data byte
    flipped[first] = flipped[first]! ^ 0xff;
    const [entry] = readZipEntries(flipped, roomy);
    expect(() => readZipEntry(flipped, entry!)).toThrow('fails its CRC-32 check');
  });

  test('refuses encrypted entries and unknown compression methods', () => {
    const encrypted = writeZip([{ name: 'secret.txt', data: 'x' }]);
    const central = encrypted.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    encrypted.writeUInt16LE(1, central + 8);
    expect(() => readZipEntries(encrypted, roomy)).toThrow('is encrypted');
    const bzip = writeZip([{ name: 'b.txt', data: 'x' }]);
    bzip.writeUInt16LE(12, bzip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 10);
    expect(() => readZipEntries(bzip, roomy)).toThrow('compression method 12');
  });

  test('refuses a zip bomb before inflating it, and too many entries', () => {
    const bomb = writeZip([{ name: 'zeros.bin', data: Buffer.alloc(5_000_000) }]);
    expect(bomb.length).toBeLessThan(10_000);
    expect(() => readZipEntries(bomb, { maxEntries: 10, maxTotalBytes: 1_000_000 })).toThrow(
      'unpacks to more than 1000000 bytes',
    );
    const many = writeZip(Array.from({ length: 11 }, (_, i) => ({ name: `f${i}.txt`, data: 'x' })));
    expect(() => readZipEntries(many, { maxEntries: 10, maxTotalBytes: 1000 })).toThrow('11 entries; at most 10');
  });
});

// Skipped where Info-ZIP's `zip` command is missing (as on our CI machines: Debian does not install it by default and
// npm test does not add it). The archives the app itself writes and those of our own tests are read by every test
// above; this one only adds archives made by that third-party tool, when it is there.
const hasInfoZip = spawnSync('zip', ['-v']).status === 0;

test.skipIf(!hasInfoZip)('reads archives made by Info-ZIP, streamed ones (data descriptors) too', async () => {
  const root = tempDir();
  mkdirSync(path.join(root, 'src', 'static'), { recursive: true });
  writeFileSync(path.join(root, 'src', 'manifest.json'), '{"name":"x"}'.repeat(50));
  writeFileSync(path.join(root, 'src', 'static', 'icon.svg'), '<svg/>');
  symlinkSync('icon.svg', path.join(root, 'src', 'static', 'logo.svg'));
  execFileSync('zip', ['-q', '-r', '-y', path.join(root, 'plain.zip'), '.'], { cwd: path.join(root, 'src') });
  // Written to a pipe, zip cannot seek back: sizes and CRCs follow each entry in a data descriptor.
  const streamed = execFileSync('zip', ['-q', '-', 'manifest.json', 'static/icon.svg'], {
    cwd: path.join(root, 'src'),
  });
  await unpackZip(readFileSync(path.join(root, 'plain.zip')), path.join(root, 'plain'), limits);
  expect(readlinkSync(path.join(root, 'plain', 'static', 'logo.svg'))).toBe('icon.svg');
  await unpackZip(streamed, path.join(root, 'streamed'), limits);
  for (const name of ['plain', 'streamed']) {
    expect(readFileSync(path.join(root, name, 'manifest.json'), 'utf8')).toBe('{"name":"x"}'.repeat(50));
    expect(readFileSync(path.join(root, name, 'static', 'icon.svg'), 'utf8')).toBe('<svg/>');
  }
});

describe('entry paths and symlinks', () => {
  test.each([
    ['../escape.txt', 'climbs out'],
    ['static/../../escape.txt', 'climbs out'],
    ['/etc/passwd', 'absolute path'],
    ['C:/Windows/evil.dll', 'absolute path'],
    ['static\\icon.svg', 'backslashes'],
    ['a\u0000b', 'control characters'],
  ])('%s is refused (%s)', (name, reason) => {
    expect(entryPathProblem(name)).toContain(reason);
  });

  test('ordinary paths pass', () => {
    expect(entryPathProblem('frontend/remoteEntry.js')).toBeUndefined();
    expect(entryPathProblem('./manifest.json')).toBeUndefined();
  });

  test('symlink targets must stay inside the package', () => {
    expect(symlinkTargetInside('static/logo.svg', 'icon.svg')).toBe('static/icon.svg');
    expect(symlinkTargetInside('static/logo.svg', '../manifest.json')).toBe('manifest.json');
    expect(symlinkTargetInside('static/logo.svg', '../../etc/passwd')).toBeUndefined();
    expect(symlinkTargetInside('logo', '/etc/passwd')).toBeUndefined();
  });
});

describe('unpacking', () => {
  test('a zip-slip archive is refused before any file is written', async () => {
    const root = tempDir();
    const zip = writeZip([
      { name: 'manifest.json', data: '{}' },
      { name: '../escape.txt', data: 'gotcha' },
    ]);
    const error = await rejection(unpackZip(zip, path.join(root, 'out'), limits));
    expect(error.message).toContain('"../escape.txt" climbs out');
    expect(existsSync(path.join(root, 'out'))).toBe(false);
    expect(existsSync(path.join(root, 'escape.txt'))).toBe(false);
  });

  test('a symlink pointing out is refused', async () => {
    const root = tempDir();
    const zip = writeZip([{ name: 'static/passwd', symlinkTo: '../../../etc/passwd' }]);
    const error = await rejection(unpackZip(zip, path.join(root, 'out'), limits));
    expect(error.problems).toEqual(['"static/passwd" is a symlink pointing outside the package']);
  });

  test('an archive larger than the limit is refused with both sizes', async () => {
    const root = tempDir();
    const zip = writeZip([{ name: 'noise.bin', data: Buffer.from(Array.from({ length: 3000 }, (_, i) => i * 7)) }], {
      compress: false,
    });
    const error = await rejection(unpackZip(zip, path.join(root, 'out'), { maxBytes: 1024, maxFiles: 10 }));
    expect(error.message).toMatch(/the archive is .* MB; at most .* MB is allowed/);
  });

  test('the same path twice is refused', async () => {
    const root = tempDir();
    const zip = writeZip([
      { name: 'a.txt', data: '1' },
      { name: 'a.txt', data: '2' },
    ]);
    expect((await rejection(unpackZip(zip, path.join(root, 'out'), limits))).message).toContain('same path twice');
  });

  test('checkTree counts files and bytes and refuses links out of the folder', async () => {
    const root = tempDir();
    mkdirSync(path.join(root, 'pkg', 'static'), { recursive: true });
    writeFileSync(path.join(root, 'pkg', 'manifest.json'), '12345');
    writeFileSync(path.join(root, 'secret'), 'outside');
    expect(await checkTree(path.join(root, 'pkg'), limits)).toEqual({ files: 2, bytes: 5 });
    expect((await rejection(checkTree(path.join(root, 'pkg'), { maxBytes: 4, maxFiles: 10 }))).message).toContain(
      'larger than',
    );
    expect((await rejection(checkTree(path.join(root, 'pkg'), { maxBytes: 100, maxFiles: 1 }))).message).toContain(
      'more than 1 files',
    );
    symlinkSync(path.join(root, 'secret'), path.join(root, 'pkg', 'static', 'leak'));
    expect((await rejection(checkTree(path.join(root, 'pkg'), limits))).problems).toEqual([
      `"${path.join('static', 'leak')}" is a symlink pointing outside the package`,
    ]);
  });

  test('the package root is the folder itself or its only subfolder', async () => {
    const root = tempDir();
    mkdirSync(path.join(root, 'a', 'my-plugin'), { recursive: true });
    writeFileSync(path.join(root, 'a', 'my-plugin', 'manifest.json'), '{}');
    expect(await packageRoot(path.join(root, 'a'))).toBe(path.join(root, 'a', 'my-plugin'));
    mkdirSync(path.join(root, 'b'));
    writeFileSync(path.join(root, 'b', 'readme.md'), 'no manifest');
    expect((await rejection(packageRoot(path.join(root, 'b')))).message).toBe(
      'the package has no manifest.json at its root',
    );
  });
});
