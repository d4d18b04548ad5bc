import type { RegisteredPlugin } from '../registry.ts';

/** What the CSP of one plugin frame document is built from. */
export interface FrameCspInput {
  /** The app's origin, e.g. `https://wb.example`. */
  origin: string;
  plugin: string;
  revision: string;
  /** The directory of the plugin's remote for this revision, ending in `/` (`remoteBase`). */
  remoteBase: string;
  /** Who may frame the document: the app's own page (`frameAncestors`). */
  ancestors: string[];
}

/**
 * Who may frame a plugin's frame document: the app itself. A frame served from a plugin's own loopback site
 * (`<plugin>.localhost`, see shell/extensions/isolated/frame-origin.ts) is framed by the app on the same port of
 * a loopback address; a frame on the app's origin by that origin (`'self'`). Pure.
 */
export function frameAncestors(protocol: string, host: string): string[] {
  const url = new URL(`${protocol}://${host}`);
  if (!url.hostname.endsWith('.localhost')) return ["'self'"];
  const port = url.port ? `:${url.port}` : '';
  // Only host names: CSP source expressions cannot name an IPv6 literal such as [::1] (chromium ignores it, warning).
  return ['localhost', '127.0.0.1'].map((name) => `${url.protocol}//${name}${port}`);
}

/**
 * The directory the plugin's remote is loaded from at its current revision: its own `frontend/` folder, or the
 * directory of an approved absolute remote (a remote deployed on its own origin). Undefined without a frontend. Pure.
 */
export function remoteBase(plugin: RegisteredPlugin, origin: string): string | undefined {
  const remote = plugin.manifest?.frontend?.remote;
  if (!remote) return undefined;
  if (/^https?:\/\//.test(remote)) return URL.canParse(remote) ? new URL('./', remote).href : undefined;
  return `${origin}/plugins/${plugin.name}/${plugin.revision}/frontend/`;
}

/**
 * The Content-Security-Policy of an isolated plugin frame's document. Pure. Scripts only from the isolation runtime
 * and the plugin's own remote at this revision; fetches only to its remote (its mf-manifest.json): everything else,
 * the app's API included, goes through the bridge. Pictures also from its own `static/`, fonts and styles from the
 * runtime and the remote (inline styles too: React and CSS-in-JS libraries set them). No forms, no `<base>`, and
 * only the app itself may frame it (`ancestors`).
 */
export function frameCsp({ origin, plugin, revision, remoteBase, ancestors }: FrameCspInput): string {
  const runtime = `${origin}/isolation/`;
  const directives: [string, ...string[]][] = [
    ['default-src', "'none'"],
    ['script-src', runtime, remoteBase],
    ['style-src', "'unsafe-inline'", runtime, remoteBase],
    ['connect-src', remoteBase],
    ['img-src', remoteBase, `${origin}/plugins/${plugin}/${revision}/static/`, 'data:', 'blob:'],
    ['font-src', runtime, remoteBase, 'data:'],
    ['base-uri', "'none'"],
    ['form-action', "'none'"],
    ['frame-ancestors', ...ancestors],
  ];
  return directives.map((d) => d.join(' ')).join('; ');
}
