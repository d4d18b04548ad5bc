import { createHash } from 'node:crypto';
import { afterEach, expect, test } from 'vitest';
import type { RemoteRef } from '../../shared/api.schema.ts';
import { remoteFiles, serveRemote } from '../../server/plugins/remote-pins/testing.ts';
import { createPinnedRemotes, RemoteChangedError } from './pinned-remotes.ts';

let remote: Awaited<ReturnType<typeof serveRemote>> | undefined;
afterEach(async () => {
  await remote?.close();
  remote = undefined;
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function ref(entry: string, manifestSha256: string): RemoteRef {
  return {
    plugin: 'cdn-widget',
    name: 'wb_cdn_widget',
    entry,
    chunkGlobal: 'wbChunks_cdn_widget',
    revision: '1.0.0-abc',
    pin: { manifestSha256, integrity: {} },
  };
}

type FetchHook = (url: string, init: RequestInit) => Promise<Response> | undefined;

test("the runtime gets a pinned remote's mf-manifest.json only when it hashes to the pin; other URLs are left alone", async () => {
  const files = remoteFiles();
  remote = await serveRemote(files);
  const entry = `${remote.origin}/v1/mf-manifest.json`;
  const pins = createPinnedRemotes();
  const fetchHook = pins.plugin.fetch as unknown as FetchHook;
  pins.set(ref(entry, sha256(files.get('/v1/mf-manifest.json')!)), entry);

  expect(fetchHook(`${remote.origin}/v1/other.json`, {})).toBeUndefined();
  const response = await fetchHook(entry, {});
  expect(await response!.text()).toBe(files.get('/v1/mf-manifest.json'));

  files.set('/v1/mf-manifest.json', files.get('/v1/mf-manifest.json')!.replace('Widget', 'Stealer'));
  await expect(fetchHook(entry, {})).rejects.toThrow(
    new RemoteChangedError('mf-manifest.json changed since an admin approved it'),
  );
});

test("RemoteChangedError.within finds the change inside the runtime's own error text", () => {
  const wrapped = new Error('[ Federation Runtime ]: RUNTIME-008 x.js changed since an admin approved it (remote y)');
  expect(RemoteChangedError.within(wrapped)?.message).toBe('x.js changed since an admin approved it');
  expect(RemoteChangedError.within(new Error('RUNTIME-008 failed to load'))).toBeUndefined();
});
