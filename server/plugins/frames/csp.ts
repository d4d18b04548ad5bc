import type { RegisteredPlugin } from '../registry.ts';

/** What the CSP of one plugin frame document is built from. */
export interface FrameCspInput {
  /** The app's origin, e.g. `https://wb.example`. */
  origin: string;
  plugin: string;
  revision: string;
  /** The directory of the plugin's remote for this revision, ending in `/` (`remoteBase`). */
  remoteBase: string;
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
 * only the app itself may frame it.
 */
export function frameCsp({ origin, plugin, revision, remoteBase }: FrameCspInput): string {
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
    ['frame-ancestors', "'self'"],
  ];
  return directives.map((d) => d.join(' ')).join('; ');
}
