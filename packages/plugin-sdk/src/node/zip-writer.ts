import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';

/** One entry to write: a file (bytes), a directory (name ending in `/`) or a symlink (its target). */
export interface ZipInput {
  /** The stored name; written as given, so tests can write hostile names such as `../escape`. */
  name: string;
  data?: Buffer | string;
  /** Unix permission bits; 0644 for files and 0755 for directories by default. */
  mode?: number;
  /** Store a symlink pointing at this target instead of a file. */
  symlinkTo?: string;
}

export interface ZipWriteOptions {
  /** Deflate entries that shrink (the default) or store every entry as is. */
  compress?: boolean;
}

// 1 January 2024, 00:00: a fixed timestamp so the same files always pack to the same bytes (and checksum).
const DOS_DATE = ((2024 - 1980) << 9) | (1 << 5) | 1;
const DOS_TIME = 0;

/** Packs entries into a zip archive (stored or deflated, Unix modes recorded). The reader's counterpart. */
export function writeZip(inputs: readonly ZipInput[], options: ZipWriteOptions = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const input of inputs) {
    const isDirectory = input.name.endsWith('/');
    const isLink = input.symlinkTo !== undefined;
    const data = Buffer.from(isLink ? (input.symlinkTo ?? '') : isDirectory ? '' : (input.data ?? ''));
    const deflated = options.compress === false || data.length === 0 ? undefined : deflateRawSync(data);
    const useDeflate = deflated !== undefined && deflated.length < data.length;
    const stored = useDeflate ? deflated : data;
    const name = Buffer.from(input.name, 'utf8');
    const type = isLink ? 0o120000 : isDirectory ? 0o040000 : 0o100000;
    const mode = type | (input.mode ?? (isDirectory ? 0o755 : isLink ? 0o777 : 0o644));
    const crc = crc32(data);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // names are UTF-8
    local.writeUInt16LE(useDeflate ? 8 : 0, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(stored.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, so the mode below counts
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(useDeflate ? 8 : 0, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(stored.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((mode << 16) | (isDirectory ? 0x10 : 0)) >>> 0, 38);
    central.writeUInt32LE(offset, 42);

    locals.push(local, name, stored);
    centrals.push(central, name);
    offset += local.length + name.length + stored.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(inputs.length, 8);
  end.writeUInt16LE(inputs.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/**
 * Reads a folder into zip inputs with paths relative to it, sorted so the archive is reproducible.
 * `include` filters relative paths (directories are asked too, with a trailing `/`).
 */
export async function zipInputsFromDirectory(
  root: string,
  include: (relative: string) => boolean = () => true,
): Promise<ZipInput[]> {
  const inputs: ZipInput[] = [];
  async function walk(dir: string, prefix: string): Promise<void> {
    const entries = (await readdir(dir)).sort();
    for (const entry of entries) {
      const full = path.join(dir, entry);
      const relative = `${prefix}${entry}`;
      const info = await lstat(full);
      if (info.isSymbolicLink()) {
        if (include(relative)) inputs.push({ name: relative, symlinkTo: await readlink(full) });
      } else if (info.isDirectory()) {
        if (!include(`${relative}/`)) continue;
        inputs.push({ name: `${relative}/` });
        await walk(full, `${relative}/`);
      } else if (info.isFile() && include(relative)) {
        inputs.push({ name: relative, data: await readFile(full), mode: info.mode & 0o777 });
      }
    }
  }
  await walk(root, '');
  return inputs;
}
