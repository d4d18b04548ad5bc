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

/**
 * The Content-Security-Policy directives: scripts, styles and fetches from this origin and from the approved
 * remote origins only (`remotes()` is read per response); no inline or eval scripts, no plugins (`object`),
 * frames of this origin only (isolated plugin frames; a hosted remote runs inside one, never as a frame of its own),
 * no framing by any site.
 */
export function cspDirectives(remotes: () => string) {
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
  app.addHook('onClose', async () => unsubscribe());

  await app.register(fastifyHelmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: cspDirectives(() => origins) },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: options.https ? { maxAge: 31_536_000 } : false,
    // Remotes from other origins are plain scripts; requiring CORP of them would break approved remotes.
    crossOriginEmbedderPolicy: false,
  });

  return {
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
