import { createServer, type Server } from 'node:http';
import { expect, test } from './fixtures.ts';

const EVIL_PORT = 4822;

/**
 * A page on another origin of the same site (another port of the same host, as another app on the intranet
 * would be): SameSite=Lax cookies go along with its requests, so only the server's Origin check stands between
 * it and the signed-in admin's session.
 */
function serveEvilPage(target: string): Promise<Server> {
  const page = `<!doctype html><title>win a prize</title><script>
    const hit = (path) => fetch('${target}' + path, { method: 'POST', mode: 'no-cors', credentials: 'include' });
    Promise.allSettled([hit('/api/plugins/needs-approval/disable'), hit('/api/auth/logout')])
      .then(() => { document.title = 'done'; });
  </script>`;
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' }).end(page);
  });
  return new Promise((resolve) => server.listen(EVIL_PORT, '127.0.0.1', () => resolve(server)));
}

test("a page on another origin cannot change anything with the admin's cookie, though the browser sends it", async ({
  page,
  baseURL,
}) => {
  const target = new URL(baseURL!).origin;
  const before = await (await page.request.get('/api/plugins/needs-approval')).json();
  const evil = await serveEvilPage(target);
  // Our answers are Cross-Origin-Resource-Policy: same-origin, so the browser hides them from the page (the fetch
  // fails) and from Playwright's request events; the DevTools protocol still shows what went out, cookie included.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const urls = new Map<string, string>();
  const headersOf = new Map<string, Record<string, string>>();
  cdp.on('Network.requestWillBeSent', (event) => urls.set(event.requestId, event.request.url));
  cdp.on('Network.requestWillBeSentExtraInfo', (event) => headersOf.set(event.requestId, event.headers));
  try {
    await page.goto(`http://127.0.0.1:${EVIL_PORT}/`);
    await expect(page).toHaveTitle('done');
  } finally {
    evil.close();
  }

  const attempts = [...urls]
    .filter(([, url]) => url.startsWith(target))
    .map(([id, url]) => ({ url: new URL(url).pathname, headers: headersOf.get(id) ?? {} }));
  expect(attempts.map((a) => a.url).sort()).toEqual(['/api/auth/logout', '/api/plugins/needs-approval/disable']);
  for (const { url, headers } of attempts) {
    expect(headers.cookie ?? headers.Cookie, url).toContain('wb_session=');
    expect(headers.origin ?? headers.Origin, url).toBe(`http://127.0.0.1:${EVIL_PORT}`);
  }
  // Still signed in, and the plugin's enablement is as it was.
  const after = await page.request.get('/api/plugins/needs-approval');
  expect(after.status()).toBe(200);
  expect((await after.json()).enablement).toEqual(before.enablement);
});
