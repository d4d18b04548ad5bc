import { promisify } from 'node:util';
import { crc32, inflateRaw, inflateRawSync } from 'node:zlib';

const inflateRawAsync = promisify(inflateRaw);

/** Why an archive cannot be read: corrupt, truncated, encrypted, or using a feature this reader refuses. */
export class ZipError extends Error {}

/** One entry of a zip's central directory, checked against the local header that holds its data. */
export interface ZipEntry {
  /** The name exactly as stored (forward slashes; directories end with `/`). */
  name: string;
  kind: 'file' | 'directory' | 'symlink';
  /** Unix permission bits when the archive recorded them (0 otherwise). */
  mode: number;
  method: 0 | 8;
  crc: number;
  compressedSize: number;
  size: number;
  dataOffset: number;
}

export interface ZipLimits {
  maxEntries: number;
  /** The most bytes all entries may inflate to together: a zip bomb is refused before anything is inflated. */
  maxTotalBytes: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;

function findEndOfCentralDirectory(bytes: Buffer): number {
  const last = bytes.length - 22;
  const first = Math.max(0, last - 0xffff);
  for (let at = last; at >= first; at--) {
    if (bytes.readUInt32LE(at) === EOCD && at + 22 + bytes.readUInt16LE(at + 20) <= bytes.length) return at;
  }
  throw new ZipError('not a zip archive, or a truncated one (no end of central directory record)');
}

/**
 * Lists a zip archive's entries from its central directory. Refuses encrypted, multi-disk and ZIP64 archives,
 * methods other than stored and deflated, entries whose data lies outside the archive, and archives over `limits`.
 */
export function readZipEntries(bytes: Buffer, limits: ZipLimits): ZipEntry[] {
  if (bytes.length < 22) throw new ZipError('not a zip archive (too short)');
  const end = findEndOfCentralDirectory(bytes);
  const disk = bytes.readUInt16LE(end + 4);
  const count = bytes.readUInt16LE(end + 10);
  const size = bytes.readUInt32LE(end + 12);
  const offset = bytes.readUInt32LE(end + 16);
  if (disk !== 0 || bytes.readUInt16LE(end + 6) !== 0) throw new ZipError('multi-disk zip archives are not supported');
  if (count === 0xffff || offset === 0xffffffff || size === 0xffffffff) {
    throw new ZipError('ZIP64 archives are not supported; packages are small enough for a plain zip');
  }
  if (count > limits.maxEntries)
    throw new ZipError(`the archive has ${count} entries; at most ${limits.maxEntries} are allowed`);
  if (offset + size > end) throw new ZipError('corrupt archive: the central directory lies outside the file');

  const entries: ZipEntry[] = [];
  let total = 0;
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || bytes.readUInt32LE(at) !== CENTRAL) {
      throw new ZipError(`corrupt archive: central directory entry ${i + 1} is damaged`);
    }
    const madeBy = bytes.readUInt16LE(at + 4);
    const flags = bytes.readUInt16LE(at + 8);
    const method = bytes.readUInt16LE(at + 10);
    const crc = bytes.readUInt32LE(at + 16);
    const compressedSize = bytes.readUInt32LE(at + 20);
    const entrySize = bytes.readUInt32LE(at + 24);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    const external = bytes.readUInt32LE(at + 38);
    const localOffset = bytes.readUInt32LE(at + 42);
    if (at + 46 + nameLength > end) throw new ZipError(`corrupt archive: entry ${i + 1} has a damaged name`);
    const name = bytes.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;

    if (flags & 0x1) throw new ZipError(`"${name}" is encrypted; encrypted archives are not supported`);
    if (method !== 0 && method !== 8) {
      throw new ZipError(`"${name}" uses compression method ${method}; only stored and deflated entries are supported`);
    }
    const mode = madeBy >> 8 === 3 ? external >>> 16 : 0;
    const kind =
      (mode & S_IFMT) === S_IFLNK
        ? 'symlink'
        : (mode & S_IFMT) === S_IFDIR || name.endsWith('/') || (external & 0x10) !== 0
          ? 'directory'
          : 'file';

    if (localOffset + 30 > offset || bytes.readUInt32LE(localOffset) !== LOCAL) {
      throw new ZipError(`corrupt archive: the data of "${name}" is missing`);
    }
    const dataOffset = localOffset + 30 + bytes.readUInt16LE(localOffset + 26) + bytes.readUInt16LE(localOffset + 28);
    if (dataOffset + compressedSize > offset) throw new ZipError(`corrupt archive: the data of "${name}" is truncated`);

    total += entrySize;
    if (total > limits.maxTotalBytes) {
      throw new ZipError(`the archive unpacks to more than ${limits.maxTotalBytes} bytes, the most allowed`);
    }
    entries.push({ name, kind, mode: mode & 0o7777, method, crc, compressedSize, size: entrySize, dataOffset });
  }
  return entries;
}

/** The bytes of one entry, inflated and checked against its recorded size and CRC-32. */
export function readZipEntry(bytes: Buffer, entry: ZipEntry): Buffer {
  const raw = bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  let data: Buffer;
  if (entry.method === 0) data = raw;
  else {
    try {
      data = inflateRawSync(raw, { maxOutputLength: Math.max(entry.size, 1) });
    } catch (error) {
      throw new ZipError(`corrupt archive: "${entry.name}" cannot be inflated (${(error as Error).message})`);
    }
  }
  return checked(entry, data);
}

/**
 * `readZipEntry` inflating on libuv's thread pool: a large entry (48 MB inflate in about 0.3 to 0.7 s) never holds
 * the server's event loop.
 */
export async function readZipEntryAsync(bytes: Buffer, entry: ZipEntry): Promise<Buffer> {
  const raw = bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  if (entry.method === 0) return checked(entry, raw);
  let data: Buffer;
  try {
    data = await inflateRawAsync(raw, { maxOutputLength: Math.max(entry.size, 1) });
  } catch (error) {
    throw new ZipError(`corrupt archive: "${entry.name}" cannot be inflated (${(error as Error).message})`);
  }
  return checked(entry, data);
}

function checked(entry: ZipEntry, data: Buffer): Buffer {
  if (data.length !== entry.size) {
    throw new ZipError(`corrupt archive: "${entry.name}" holds ${data.length} bytes, not the ${entry.size} recorded`);
  }
  if (crc32(data) !== entry.crc) throw new ZipError(`corrupt archive: "${entry.name}" fails its CRC-32 check`);
  return data;
}
