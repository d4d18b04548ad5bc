// Which network connections a plugin backend may open: pure rules over the hosts its manifest lists
// (`permissions.network`) and an admin approved. Used by the child's connect guard (network-guard.ts); imports
// only Node built-ins, as everything in this folder.
import net from 'node:net';

// Taken once, when the child starts: a plugin may replace the `net` module's functions, not these.
const { isIP, isIPv4 } = net;

/** `null`: any host (PLUGIN_NETWORK_ALLOWED); otherwise only these `permissions.network` entries. */
export type NetworkGrant = readonly string[] | null;

function split(entry: string): { host: string; port: number | null } {
  const colon = entry.lastIndexOf(':');
  if (colon < 0) return { host: entry, port: null };
  return { host: entry.slice(0, colon), port: Number(entry.slice(colon + 1)) };
}

const normal = (host: string) =>
  host
    .toLowerCase()
    .replace(/\.$/, '')
    .replace(/^\[(.*)\]$/, '$1');

/** Whether a `permissions.network` entry (`api.example.com`, `*.example.com:443`, `10.0.0.5`) covers host:port. */
export function entryCovers(entry: string, host: string, port: number): boolean {
  const wanted = split(entry.toLowerCase());
  if (wanted.port !== null && wanted.port !== port) return false;
  const target = normal(host);
  if (wanted.host.startsWith('*.')) return target.endsWith(wanted.host.slice(1)) && target !== wanted.host.slice(2);
  return target === wanted.host;
}

/** The entry of `grant` that covers host:port; `true` for any host; undefined when none does. */
export function allowedBy(grant: NetworkGrant, host: string, port: number): string | true | undefined {
  if (grant === null) return true;
  return grant.find((entry) => entryCovers(entry, host, port));
}

/**
 * Addresses a host name must not resolve to: the machine itself (the server listens there) and link-local (cloud
 * metadata at 169.254.169.254). An entry written as an IP or `localhost` reaches them on purpose; a name whose
 * DNS its owner controls could otherwise be pointed there after approval. Pure.
 */
export function isLocalAddress(address: string): boolean {
  const mapped = address.toLowerCase().replace(/^::ffff:/, '');
  if (isIPv4(mapped)) {
    const [a, b] = mapped.split('.').map(Number) as [number, number];
    return a === 127 || a === 0 || (a === 169 && b === 254);
  }
  return mapped === '::1' || mapped === '::' || /^fe[89ab]/.test(mapped);
}

/** Whether an entry names a fixed address (an IP or localhost), so its resolved address is not second-guessed. */
export function namesAddress(entry: string): boolean {
  const host = normal(split(entry).host);
  return isIP(host) !== 0 || host === 'localhost';
}
