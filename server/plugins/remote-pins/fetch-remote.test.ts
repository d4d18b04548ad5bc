import { afterEach, describe, expect, test } from 'vitest';
import { assetUrlsOf, readRemote, RemoteReadError, remoteDifference, sriOf } from './fetch-remote.ts';
import { remoteFiles, serveRemote } from './testing.ts';

let remote: Awaited<ReturnType<typeof serveRemote>> | undefined;
afterEach(async () => {
  await remote?.close();
  remote = undefined;
});

describe('assetUrlsOf', () => {
  const manifest = (metaData: object, exposes: object[] = []) => ({
    metaData: { remoteEntry: { name: 'remoteEntry.js', path: '' }, ...metaData },
    exposes,
    shared: [{ assets: { js: { sync: ['shared.js'], async: [] } } }],
  });

  test('resolves publicPath auto beside the manifest, listing the entry, js and css of exposes and shared', () => {
    const exposes = [{ assets: { js: { sync: ['a.js'], async: ['b.js'] }, css: { sync: ['a.css'], async: [] } } }];
    expect(
      assetUrlsOf(manifest({ publicPath: 'auto' }, exposes), 'https://cdn.example.com/dq/mf-manifest.json'),
    ).toEqual([
      'https://cdn.example.com/dq/remoteEntry.js',
      'https://cdn.example.com/dq/a.js',
      'https://cdn.example.com/dq/b.js',
      'https://cdn.example.com/dq/a.css',
      'https://cdn.example.com/dq/shared.js',
    ]);
  });

  test('a fixed publicPath elsewhere is where the files are', () => {
    expect(
      assetUrlsOf(manifest({ publicPath: 'https://static.example.com/x/' }), 'https://cdn.example.com/m.json')[0],
    ).toBe('https://static.example.com/x/remoteEntry.js');
  });

  test('a public path computed at run time cannot be pinned, and says so', () => {
    expect(() => assetUrlsOf(manifest({ getPublicPath: 'return window.cdn' }), 'https://c.example.com/m.json')).toThrow(
      /computes its public path at run time/,
    );
    expect(() => assetUrlsOf({ hello: 1 }, 'https://c.example.com/m.json')).toThrow(/not a Module Federation manifest/);
  });
});

describe('readRemote over real HTTP', () => {
  test('digests the manifest and gives every listed file its sha384 SRI', async () => {
    const files = remoteFiles();
    remote = await serveRemote(files);
    const facts = await readRemote(`${remote.origin}/v1/mf-manifest.json`);
    expect(facts.assets).toEqual({
      [`${remote.origin}/v1/remoteEntry.js`]: sriOf(Buffer.from(files.get('/v1/remoteEntry.js')!)),
      [`${remote.origin}/v1/__federation_expose_Widget.js`]: sriOf(
        Buffer.from(files.get('/v1/__federation_expose_Widget.js')!),
      ),
    });
    expect(facts.manifestSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  test('a remoteEntry.js URL pins that one file', async () => {
    remote = await serveRemote(remoteFiles());
    const facts = await readRemote(`${remote.origin}/v1/remoteEntry.js`);
    expect(Object.keys(facts.assets)).toEqual([`${remote.origin}/v1/remoteEntry.js`]);
  });

  test('a listed file that is gone, an unreachable origin and an oversized file are errors that say which', async () => {
    const files = remoteFiles();
    files.delete('/v1/__federation_expose_Widget.js');
    remote = await serveRemote(files);
    await expect(readRemote(`${remote.origin}/v1/mf-manifest.json`)).rejects.toThrow(
      /__federation_expose_Widget\.js answers 404/,
    );
    await expect(readRemote(`${remote.origin}/v1/mf-manifest.json`, { maxBytes: 10 })).rejects.toThrow(
      /larger than 10 bytes/,
    );
    const gone = remote.origin;
    await remote.close();
    remote = undefined;
    const error = await readRemote(`${gone}/v1/mf-manifest.json`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteReadError);
    expect((error as RemoteReadError).answered).toBe(false);
    expect((error as Error).message).toMatch(/cannot be reached/);
  });
});

describe('remoteDifference', () => {
  const pinned = { manifestSha256: 'm1', assets: { 'https://c.example.com/a.js': 'sha384-A' } };
  test('names the changed, removed or added file, or the manifest; nothing when equal', () => {
    const url = 'https://c.example.com/mf-manifest.json';
    expect(remoteDifference(pinned, pinned, url)).toBeUndefined();
    expect(remoteDifference(pinned, { ...pinned, assets: { 'https://c.example.com/a.js': 'sha384-B' } }, url)).toBe(
      'a.js changed',
    );
    expect(remoteDifference(pinned, { ...pinned, assets: {} }, url)).toBe('a.js is no longer listed');
    const added = { ...pinned.assets, 'https://c.example.com/b.js': 'sha384-C' };
    expect(remoteDifference(pinned, { ...pinned, assets: added }, url)).toBe('b.js was added');
    expect(remoteDifference(pinned, { ...pinned, manifestSha256: 'm2' }, url)).toBe('mf-manifest.json changed');
  });
});
