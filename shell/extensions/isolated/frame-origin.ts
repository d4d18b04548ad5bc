// Not [::1]: a frame on a plugin site may be framed only by the app's loopback host names (an IPv6 literal cannot
// stand in a CSP frame-ancestors source), so an app reached at [::1] serves frames from its own origin.
const loopbackNames = new Set(['localhost', '127.0.0.1']);

/**
 * Where a plugin's frames are served from. Chromium runs the sandboxed frames of one site in one renderer process,
 * so a plugin spinning in a loop would stall every other plugin's frames on the page. When the app is reached on a
 * loopback address, each plugin gets a site of its own, `<plugin>.localhost` on the same port (browsers resolve
 * `*.localhost` to loopback), and with it a process of its own. Elsewhere frames come from the app's origin. Pure.
 */
export function frameOrigin(plugin: string, page: Pick<Location, 'protocol' | 'hostname' | 'port' | 'origin'>): string {
  if (!loopbackNames.has(page.hostname)) return page.origin;
  return `${page.protocol}//${plugin}.localhost${page.port ? `:${page.port}` : ''}`;
}

/** The URL of a plugin frame's document; the page's origin travels in the fragment, for the frame to answer only it. */
export function frameUrl(plugin: string, revision: string, page: Location = window.location): string {
  const path = `/plugin-frames/${encodeURIComponent(plugin)}/${encodeURIComponent(revision)}/`;
  return `${frameOrigin(plugin, page)}${path}#parent=${encodeURIComponent(page.origin)}`;
}
