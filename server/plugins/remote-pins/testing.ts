import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A plugin team's own origin for tests: serves the files of `files` (path → text), changeable while it runs. */
export async function serveRemote(files: Map<string, string>): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const body = files.get(new URL(request.url ?? '/', 'http://x').pathname);
    if (body === undefined) return void response.writeHead(404).end();
    response.writeHead(200, { 'access-control-allow-origin': '*' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The files of a built remote as a Module Federation build lays them out (publicPath `auto`), under `/v1/`. */
export function remoteFiles(widget = 'export default "widget v1";'): Map<string, string> {
  const manifest = {
    id: 'wb_cdn_widget',
    name: 'wb_cdn_widget',
    metaData: {
      name: 'wb_cdn_widget',
      publicPath: 'auto',
      remoteEntry: { name: 'remoteEntry.js', path: '', type: 'global' },
    },
    shared: [],
    remotes: [],
    exposes: [
      {
        id: 'wb_cdn_widget:Widget',
        name: 'Widget',
        path: './Widget',
        assets: { js: { sync: ['__federation_expose_Widget.js'], async: [] }, css: { sync: [], async: [] } },
      },
    ],
  };
  return new Map([
    ['/v1/mf-manifest.json', JSON.stringify(manifest)],
    ['/v1/remoteEntry.js', 'var wb_cdn_widget = {};'],
    ['/v1/__federation_expose_Widget.js', widget],
  ]);
}
