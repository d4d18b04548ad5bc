import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Who a plugin token speaks for: one browser session, one plugin, one workspace, until `expiresAt` (ms). */
export interface PluginTokenClaims {
  plugin: string;
  workspace: string;
  expiresAt: number;
}

/** How long a plugin token is accepted: the host end of the bridge renews it before then. */
export const PLUGIN_TOKEN_TTL_MS = 10 * 60_000;

/** A session's identity inside a token: the hash of its cookie, never the cookie itself. */
export const sessionIdOf = (sessionCookie: string) => createHash('sha256').update(sessionCookie).digest('base64url');

function mac(secret: string, sessionId: string, claims: PluginTokenClaims): Buffer {
  return createHmac('sha256', secret)
    .update(['plugin-token.v1', sessionId, claims.plugin, claims.workspace, String(claims.expiresAt)].join('\n'))
    .digest();
}

/** A token for `claims`, bound to the session: `<claims, base64url JSON>.<HMAC-SHA256, base64url>`. */
export function signPluginToken(secret: string, sessionId: string, claims: PluginTokenClaims): string {
  const body = Buffer.from(JSON.stringify([claims.plugin, claims.workspace, claims.expiresAt])).toString('base64url');
  return `${body}.${mac(secret, sessionId, claims).toString('base64url')}`;
}

function claimsOf(token: string): { claims: PluginTokenClaims; signature: Buffer } | undefined {
  const [body, signature, ...rest] = token.split('.');
  if (!body || !signature || rest.length > 0) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== 3) return undefined;
    const [plugin, workspace, expiresAt] = parsed;
    if (typeof plugin !== 'string' || typeof workspace !== 'string' || !Number.isSafeInteger(expiresAt))
      return undefined;
    return { claims: { plugin, workspace, expiresAt }, signature: Buffer.from(signature, 'base64url') };
  } catch {
    return undefined;
  }
}

/** What a call expects a token to be for. */
export interface PluginTokenExpectation {
  sessionId: string;
  plugin: string;
  workspace: string;
  now: number;
}

/**
 * Why `token` does not let the call in, or undefined when it does. Pure. The signature is checked first, so a
 * token whose claims were changed, or that another session was given, says only that; then the plugin, the
 * workspace and the expiry, each in words.
 */
export function pluginTokenProblem(
  secret: string,
  token: string,
  expected: PluginTokenExpectation,
): string | undefined {
  const read = claimsOf(token);
  if (!read) return 'The plugin token is malformed';
  const { claims, signature } = read;
  const wanted = mac(secret, expected.sessionId, claims);
  if (signature.length !== wanted.length || !timingSafeEqual(signature, wanted))
    return 'The plugin token was not issued to this session, or it was altered';
  if (claims.plugin !== expected.plugin)
    return `The plugin token is for plugin "${claims.plugin}", not "${expected.plugin}"`;
  if (claims.workspace !== expected.workspace)
    return `The plugin token is for workspace "${claims.workspace}", not "${expected.workspace}"`;
  if (claims.expiresAt <= expected.now)
    return `The plugin token expired at ${new Date(claims.expiresAt).toISOString()}; the app fetches a new one`;
  return undefined;
}
