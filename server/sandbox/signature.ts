import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Headers the server adds when it proxies a call to an independently deployed backend (`backend.url`).
 * The backend must check `x-workbench-signature` before trusting any of the others.
 */
export const identityHeaders = {
  plugin: 'x-workbench-plugin',
  userId: 'x-workbench-user-id',
  username: 'x-workbench-user',
  workspace: 'x-workbench-workspace',
  role: 'x-workbench-role',
  /** Milliseconds since the epoch; reject calls more than 5 minutes off. */
  timestamp: 'x-workbench-timestamp',
  /** `v1=<hex HMAC-SHA256 of the signed text with the plugin's key>`. */
  signature: 'x-workbench-signature',
} as const;

/** What the signature covers. */
export interface SignedFacts {
  timestamp: string;
  method: string;
  /** The path and query the backend receives, like `/notes?model=a`. */
  path: string;
  plugin: string;
  userId: string;
  username: string;
  workspace: string;
  role: string;
  body: Buffer | string;
}

/**
 * The text signed: those facts one per line, in this order, the body as its hex SHA-256:
 * `v1\n<timestamp>\n<METHOD>\n<path>\n<plugin>\n<user id>\n<username>\n<workspace>\n<role>\n<sha256(body)>`.
 */
export function signedText(f: SignedFacts): string {
  const bodyHash = createHash('sha256').update(f.body).digest('hex');
  return [
    'v1',
    f.timestamp,
    f.method.toUpperCase(),
    f.path,
    f.plugin,
    f.userId,
    f.username,
    f.workspace,
    f.role,
    bodyHash,
  ].join('\n');
}

/**
 * A plugin's own key: `hex(HMAC-SHA256(PLUGIN_BACKEND_SECRET, "workbench-plugin:" + name))`, so no plugin can
 * sign for another. An admin gives it to the backend's operators, e.g.
 * `printf %s "workbench-plugin:my-plugin" | openssl dgst -sha256 -hmac "$PLUGIN_BACKEND_SECRET"`.
 */
export function pluginKey(secret: string, plugin: string): string {
  return createHmac('sha256', secret).update(`workbench-plugin:${plugin}`).digest('hex');
}

export function sign(key: string, facts: SignedFacts): string {
  return `v1=${createHmac('sha256', key).update(signedText(facts)).digest('hex')}`;
}

/**
 * What a receiving backend reads back from a forwarded call: the signed facts from its method, path and identity
 * headers, and the signature to check them against with `verify`.
 */
export function signedRequestOf(
  request: { method?: string; url?: string; headers: Record<string, string | string[] | undefined> },
  body: Buffer | string,
): { facts: SignedFacts; signature: string } {
  const header = (name: string) => String(request.headers[name] ?? '');
  return {
    facts: {
      timestamp: header(identityHeaders.timestamp),
      method: request.method ?? '',
      path: request.url ?? '',
      plugin: header(identityHeaders.plugin),
      userId: header(identityHeaders.userId),
      username: header(identityHeaders.username),
      workspace: header(identityHeaders.workspace),
      role: header(identityHeaders.role),
      body,
    },
    signature: header(identityHeaders.signature),
  };
}

/** What a backend does with a call: recompute and compare in constant time, and bound the clock skew. */
export function verify(
  key: string,
  facts: SignedFacts,
  signature: string,
  now = Date.now(),
  skewMs = 300_000,
): boolean {
  if (Math.abs(now - Number(facts.timestamp)) > skewMs) return false;
  const expected = Buffer.from(sign(key, facts));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
