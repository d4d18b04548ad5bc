import type { ServerResponse } from 'node:http';
import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { RegisteredPlugin } from '../plugins/registry.ts';

/** The part of the plugin registry the headers read: active plugins, and word when they change. */
export interface ActivePlugins {
  active(): readonly RegisteredPlugin[];
  subscribe(listener: () => void): () => void;
}

/**
 * Origins of the remotes the shell may load from other sites: those of active plugins whose `frontend.remote` is
 * an absolute URL (an admin approved it with the plugin). Sorted and unique. Pure.
 */
export function remoteOrigins(plugins: readonly RegisteredPlugin[]): string[] {
  const origins = plugins.flatMap((plugin) => {
    const remote = plugin.manifest?.frontend?.remote;
    if (plugin.state !== 'active' || !remote || !/^https?:\/\//.test(remote)) return [];
    return URL.canParse(remote) ? [new URL(remote).origin] : [];
  });
  return [...new Set(origins)].sort();
}

/** The directives that name the remote origins (`cspDirectives`): where a remote's files are loaded from. */
export const REMOTE_DIRECTIVES = ['script-src', 'style-src', 'connect-src', 'img-src', 'font-src'] as const;

/**
 * `csp` (the app's policy as sent) also admitting `origins` wherever it admits remotes: how one developer's own
 * documents admit their dev builds' origins. Pure.
 */
export function admitting(csp: string, origins: readonly string[]): string {
  if (origins.length === 0) return csp;
  return csp
    .split(';')
    .map((directive) => {
      const name = directive.trim().split(/\s+/)[0] as (typeof REMOTE_DIRECTIVES)[number];
      return REMOTE_DIRECTIVES.includes(name) ? `${directive} ${origins.join(' ')}` : directive;
    })
    .join(';');
}

/**
 * The Content-Security-Policy directives: scripts, styles and fetches from this origin and from the approved
 * remote origins only (`remotes()` is read per response); no inline or eval scripts, no plugins (`object`),
 * frames of this origin only (isolated plugin frames; a hosted remote runs inside one, never as a frame of its own),
 * no framing by any site.
 */
export function cspDirectives(remotes: (req: unknown, res: ServerResponse) => string) {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'", remotes],
    'script-src-attr': ["'none'"],
    // Styles only: CodeMirror mounts its themes as <style> elements (style-mod), and libraries set style attributes.
    'style-src': ["'self'", "'unsafe-inline'", remotes],
    'connect-src': ["'self'", remotes],
    'img-src': ["'self'", 'data:', remotes],
    'font-src': ["'self'", 'data:', remotes],
    // Isolated plugin frames (/plugin-frames/, sandboxed to an opaque origin): from this origin, or, when the app is
    // reached on a loopback address, from each plugin's own <plugin>.localhost site (its own renderer process).
    'frame-src': ["'self'", 'http://*.localhost:*', 'https://*.localhost:*'],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  };
}

/** What `registerSecurityHeaders` gives back: where the CSP learns which remote origins are approved. */
export interface SecurityHeaders {
  /** From now on the CSP allows the remote origins of `plugins`' active plugins, kept current as they change. */
  allowRemotesOf(plugins: ActivePlugins): void;
  /**
   * From now on a signed-in user's documents also admit the origins of that user's own dev builds
   * (`devOrigins(userId)`, read per response); nobody else's policy changes.
   */
  allowDevOriginsOf(devOrigins: (userId: string) => readonly string[]): void;
}

/**
 * Security headers on every response (@fastify/helmet): the CSP above, `X-Frame-Options: DENY`, `nosniff`, a
 * `no-referrer` policy, and HSTS only when the site is served over HTTPS (COOKIE_SECURE). Register it before
 * any other hook, so that answers those hooks refuse with carry the headers too.
 */
export async function registerSecurityHeaders(
  app: FastifyInstance,
  options: { https: boolean },
): Promise<SecurityHeaders> {
  let origins = '';
  let unsubscribe = () => {};
  let devOriginsOf: (userId: string) => readonly string[] = () => [];
  // The responses that carry the app's own policy (helmet reads the remotes for those only; a route with a policy
  // of its own, such as a plugin frame's, switches helmet's off).
  const appPolicy = new WeakSet<ServerResponse>();
  app.addHook('onClose', async () => unsubscribe());

  await app.register(fastifyHelmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: cspDirectives((_req, res) => {
        appPolicy.add(res);
        return origins;
      }),
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: options.https ? { maxAge: 31_536_000 } : false,
    // Remotes from other origins are plain scripts; requiring CORP of them would break approved remotes.
    crossOriginEmbedderPolicy: false,
  });

  // The user is known only after helmet wrote the policy (sessions resolve in a later onRequest hook), so a
  // developer's own policy is completed on the way out. Such a document is never stored: a cached copy, or a
  // revalidation, must not outlive the dev session or reach anyone else.
  app.addHook('preHandler', async (request) => {
    // A document the browser holds from before (without the dev origins) must not be revalidated as still good.
    if (request.user && devOriginsOf(request.user.id).length > 0 && request.headers.accept?.includes('text/html')) {
      delete request.headers['if-none-match'];
      delete request.headers['if-modified-since'];
    }
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const extra = request.user && appPolicy.has(reply.raw) ? devOriginsOf(request.user.id) : [];
    if (extra.length === 0) return payload;
    reply.header('content-security-policy', admitting(String(reply.getHeader('content-security-policy')), extra));
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      reply.header('cache-control', 'private, no-store');
      reply.removeHeader('etag');
      reply.removeHeader('last-modified');
    }
    return payload;
  });

  return {
    allowDevOriginsOf(devOrigins) {
      devOriginsOf = devOrigins;
    },
    allowRemotesOf(plugins) {
      unsubscribe();
      const update = () => {
        origins = remoteOrigins(plugins.active()).join(' ');
      };
      update();
      unsubscribe = plugins.subscribe(update);
    },
  };
}
