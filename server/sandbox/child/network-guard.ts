// A seat belt in the child over every outgoing connection: TCP and TLS (so `fetch`, `http`, `https`, `http2`)
// reach only the hosts in `permissions.network`, never a Unix socket, and UDP not at all. It runs before the
// plugin's code and cannot be undone from it: the patched methods are frozen, the language's own objects too
// (`--frozen-intrinsics`, so `Array.prototype.find` cannot be swapped under its checks), every function it uses
// was taken before the plugin loaded, and `process.binding` is refused by the permission model. It is not a boundary like the private network namespace: see server/sandbox/README.md.
import dgram from 'node:dgram';
import dns from 'node:dns';
import net from 'node:net';
import { allowedBy, isLocalAddress, namesAddress, type NetworkGrant } from './net-rules.ts';

/** Reports a refused connection to the server, which records it in the plugin's diagnostics. */
export type DeniedReport = (action: string, message: string) => void;

type LookupCallback = (error: Error | null, address: string | dns.LookupAddress[], family?: number) => void;
type Lookup = (hostname: string, options: dns.LookupOptions, callback: LookupCallback) => void;

/** Node's own argument normalisation of `socket.connect(...)`, so every calling form is judged alike. */
const normalizeArgs = (net as unknown as { _normalizeArgs(args: unknown[]): unknown[] })._normalizeArgs;
const { isIP } = net;
const { lookup: systemLookup } = dns;
const { nextTick } = process;

function denial(message: string, resource: string): Error {
  return Object.assign(new Error(message), { code: 'ERR_ACCESS_DENIED', permission: 'Net', resource });
}

function freeze(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: false, configurable: false, enumerable: false });
}

/** Installs the guard for `grant` (`null`: any host, PLUGIN_NETWORK_ALLOWED). Call once, before the plugin loads. */
export function guardNetwork(grant: NetworkGrant, report: DeniedReport): void {
  const marker = Object.getOwnPropertySymbols(normalizeArgs([])).find((s) => s.description === 'normalizedArgs');
  const connect = net.Socket.prototype.connect;
  const listed = grant === null ? 'any host' : grant.length > 0 ? grant.join(', ') : 'no hosts';

  function refuse(socket: net.Socket, action: string, message: string, resource: string): net.Socket {
    report(action, message);
    const error = denial(message, resource);
    nextTick(() => socket.destroy(error));
    return socket;
  }

  function guardedConnect(this: net.Socket, ...args: unknown[]): net.Socket {
    const first = args[0] as unknown[] | undefined;
    const normalized = (
      Array.isArray(first) && marker && (first as unknown as Record<symbol, unknown>)[marker]
        ? first
        : normalizeArgs(args)
    ) as [net.NetConnectOpts & { lookup?: Lookup }, ...unknown[]];
    // A copy with plain values: a getter could answer one host to this check and another to Node.
    const options = { ...normalized[0] } as net.NetConnectOpts & { lookup?: Lookup };
    if ('path' in options && options.path !== undefined) {
      const message = `connecting to the Unix socket ${options.path} is refused: plugin backends reach the network only through permissions.network`;
      return refuse(this, `network connect ${options.path}`, message, String(options.path));
    }
    const tcp = options as net.TcpNetConnectOpts;
    const host = tcp.host === undefined ? 'localhost' : String(tcp.host);
    const port = Number(tcp.port);
    tcp.host = host;
    tcp.port = port;
    const entry = allowedBy(grant, host, port);
    if (entry === undefined) {
      const message = `connecting to ${host}:${port} is refused: permissions.network allows ${listed}`;
      return refuse(this, `network connect ${host}:${port}`, message, `${host}:${port}`);
    }
    if (typeof entry === 'string' && !namesAddress(entry) && isIP(host) === 0) {
      const lookup: Lookup = options.lookup ?? (systemLookup as unknown as Lookup);
      (options as { lookup?: Lookup }).lookup = (
        hostname: string,
        lookupOptions: dns.LookupOptions,
        callback: LookupCallback,
      ) =>
        lookup(hostname, lookupOptions, (error, address, family) => {
          if (error) return callback(error, address, family);
          const all = Array.isArray(address) ? address.map((a) => a.address) : [address];
          const local = all.find(isLocalAddress);
          if (local === undefined) return callback(null, address, family);
          const message = `connecting to ${host}:${port} is refused: it resolved to ${local}, this machine or link-local, which only an entry naming that address allows`;
          report(`network connect ${host}:${port}`, message);
          callback(denial(message, `${host}:${port}`), address, family);
        });
    }
    return connect.call(this, normalizeArgs(normalized[1] ? [options, normalized[1]] : [options]) as never);
  }
  freeze(net.Socket.prototype, 'connect', guardedConnect);

  if (grant !== null) {
    const bind = function refusedBind(this: dgram.Socket): never {
      const message = 'UDP sockets are refused: plugin backends reach the network only over TCP to permissions.network';
      report('network udp', message);
      throw denial(message, 'udp');
    };
    freeze(dgram.Socket.prototype, 'bind', bind);
  }
}
