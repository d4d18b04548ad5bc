// Reads a remote deployed at its own URL the way the shell will load it, and says what its bytes are: the
// sha256 of its mf-manifest.json (or remoteEntry.js) and the SRI (sha384) of every file the manifest lists.
import { createHash } from 'node:crypto';
import { z } from 'zod';

/** What pinning records of a remote: the digest of the file at its URL and the SRI of every asset, by URL. */
export interface RemoteFacts {
  manifestSha256: string;
  /** Absolute URL of each script and style sheet (remoteEntry.js included) to its `sha384-...` integrity. */
  assets: Record<string, string>;
}

/** The remote could not be read: unreachable, an error status, too large, or not a Module Federation remote. */
export class RemoteReadError extends Error {
  override name = 'RemoteReadError';
  /** True when the remote answered with something (a status, bytes); false when it could not be reached. */
  readonly answered: boolean;
  constructor(message: string, answered: boolean) {
    super(message);
    this.answered = answered;
  }
}

export interface ReadRemoteOptions {
  timeoutMs?: number;
  maxBytes?: number;
  maxAssets?: number;
}

const Assets = z.object({ sync: z.array(z.string()).default([]), async: z.array(z.string()).default([]) });
const AssetGroup = z.object({ assets: z.object({ js: Assets.optional(), css: Assets.optional() }).optional() });
/** The part of mf-manifest.json that says where the remote's files are. */
const RemoteManifest = z.object({
  metaData: z.object({
    publicPath: z.string().optional(),
    getPublicPath: z.string().optional(),
    remoteEntry: z.object({ name: z.string(), path: z.string().default('') }),
  }),
  exposes: z.array(AssetGroup).default([]),
  shared: z.array(AssetGroup).default([]),
});

const isManifestUrl = (url: string) => new URL(url).pathname.endsWith('.json');

/** `sha384-<base64>`: the value of a script's `integrity` attribute for these bytes. */
export function sriOf(bytes: Uint8Array): string {
  return `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
}

/**
 * The absolute URLs of the remote entry and every JS and CSS asset a parsed mf-manifest.json lists, resolved the
 * way the runtime resolves them (publicPath `auto` means beside the manifest). Pure; throws when the manifest is
 * not one or computes its public path at run time (then nothing fixed can be pinned).
 */
export function assetUrlsOf(manifestJson: unknown, manifestUrl: string): string[] {
  const parsed = RemoteManifest.safeParse(manifestJson);
  if (!parsed.success) throw new RemoteReadError(`${manifestUrl} is not a Module Federation manifest`, true);
  const { metaData, exposes, shared } = parsed.data;
  if (metaData.getPublicPath || !metaData.publicPath) {
    throw new RemoteReadError(
      `${manifestUrl} computes its public path at run time (getPublicPath); only a fixed publicPath can be pinned`,
      true,
    );
  }
  const base = metaData.publicPath === 'auto' ? new URL('.', manifestUrl) : new URL(metaData.publicPath, manifestUrl);
  const at = (file: string) => new URL(file, base).href;
  const entryPath = metaData.remoteEntry.path ? `${metaData.remoteEntry.path.replace(/\/$/, '')}/` : '';
  const files = [...exposes, ...shared].flatMap((group) =>
    [group.assets?.js, group.assets?.css].flatMap((a) => (a ? [...a.sync, ...a.async] : [])),
  );
  return [...new Set([at(`${entryPath}${metaData.remoteEntry.name}`), ...files.map(at)])];
}

async function download(url: string, options: Required<ReadRemoteOptions>): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new RemoteReadError(
      `${url} cannot be reached: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
      false,
    );
  }
  if (!response.ok) throw new RemoteReadError(`${url} answers ${response.status}`, true);
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > options.maxBytes) throw new RemoteReadError(`${url} is larger than ${options.maxBytes} bytes`, true);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.byteLength > options.maxBytes)
    throw new RemoteReadError(`${url} is larger than ${options.maxBytes} bytes`, true);
  return bytes;
}

/** Downloads a remote (its mf-manifest.json and every asset it lists, or its remoteEntry.js) and digests it. */
export async function readRemote(url: string, options: ReadRemoteOptions = {}): Promise<RemoteFacts> {
  const opts = { timeoutMs: 10_000, maxBytes: 20 * 1024 * 1024, maxAssets: 500, ...options };
  const first = await download(url, opts);
  const manifestSha256 = createHash('sha256').update(first).digest('hex');
  if (!isManifestUrl(url)) return { manifestSha256, assets: { [url]: sriOf(first) } };
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(first).toString('utf8'));
  } catch {
    throw new RemoteReadError(`${url} is not valid JSON`, true);
  }
  const urls = assetUrlsOf(json, url);
  if (urls.length > opts.maxAssets) throw new RemoteReadError(`${url} lists more than ${opts.maxAssets} files`, true);
  const assets: Record<string, string> = {};
  for (const asset of urls) assets[asset] = sriOf(await download(asset, opts));
  return { manifestSha256, assets };
}

/** What differs between a pin and the live remote, in words (`remoteEntry.js changed`), or undefined. Pure. */
export function remoteDifference(pinned: RemoteFacts, live: RemoteFacts, url: string): string | undefined {
  const name = (u: string) => new URL(u).pathname.split('/').pop() ?? u;
  for (const [asset, sri] of Object.entries(pinned.assets)) {
    if (live.assets[asset] === undefined) return `${name(asset)} is no longer listed`;
    if (live.assets[asset] !== sri) return `${name(asset)} changed`;
  }
  const added = Object.keys(live.assets).find((asset) => pinned.assets[asset] === undefined);
  if (added) return `${name(added)} was added`;
  if (pinned.manifestSha256 !== live.manifestSha256) return `${name(url)} changed`;
  return undefined;
}
