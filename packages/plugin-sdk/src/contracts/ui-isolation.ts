import type { Capability } from './capabilities.ts';
import type { HostData } from '../plugin-sdk.ts';

/**
 * The rules an isolated plugin UI lives by, in one place: the app's bridge enforces them, and the SDK's test
 * fakes apply them when asked (`createFakeSdk({ level: 'isolated' })`), so a plugin's tests fail where the
 * frame would.
 */

/** The capability each host data call needs, checked in the page before the call and on the server again. */
export const capabilityOfHostData: Record<keyof HostData, Capability> = {
  models: 'read-metadata',
  node: 'read-metadata',
  search: 'read-metadata',
  summary: 'read-metadata',
  runs: 'read-metadata',
  sql: 'access-sql-workspace',
};

/** Why `sdk.data.<method>` is refused for a plugin with these approved capabilities; null when allowed. */
export function hostDataRefusal(method: keyof HostData, capabilities: readonly Capability[]): string | null {
  const needed = capabilityOfHostData[method];
  return capabilities.includes(needed)
    ? null
    : `sdk.data.${method} needs the "${needed}" capability, which is not approved for this plugin`;
}

/** A request body as it crosses from a frame to the page: text or bytes. */
export type BridgeBody = string | ArrayBuffer | null;

/**
 * An `sdk.fetch` body as it crosses the bridge. Text, URLSearchParams and bytes cross; FormData, Blob and
 * streams do not (send JSON or bytes instead), and are refused with that reason.
 */
export function toBridgeBody(body: BodyInit | null | undefined): BridgeBody {
  if (body === undefined || body === null) return null;
  if (typeof body === 'string') return body;
  if (body instanceof ArrayBuffer) return body;
  if (ArrayBuffer.isView(body))
    return body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer;
  if (body instanceof URLSearchParams) return body.toString();
  throw new TypeError(
    'sdk.fetch in an isolated plugin sends a string (e.g. JSON), URLSearchParams or bytes as a body, not FormData, a Blob or a stream',
  );
}
