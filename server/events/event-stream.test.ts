import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { testManifest } from '../../shared/testing/manifests.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** Reads server-sent events from a live HTTP connection until `until` accepts one or the time is up. */
async function waitForEvent(
  url: string,
  cookie: string,
  until: (data: unknown) => boolean,
  act: () => void,
): Promise<unknown> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { cookie }, signal: controller.signal });
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  act();
  const timeout = setTimeout(() => controller.abort(), 5_000);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error('stream ended');
      buffer += decoder.decode(value, { stream: true });
      for (const block of buffer.split('\n\n').slice(0, -1)) {
        const data = block.split('\n').find((line) => line.startsWith('data: '));
        if (data) {
          const parsed: unknown = JSON.parse(data.slice(6));
          if (until(parsed)) return parsed;
        }
      }
      buffer = buffer.slice(buffer.lastIndexOf('\n\n') + 2);
    }
  } finally {
    clearTimeout(timeout);
    controller.abort();
  }
}

test('a plugin added to the plugins directory reaches open shells as a plugins-changed event', async () => {
  app = await startTestApp();
  const address = await app.server.listen({ port: 0, host: '127.0.0.1' });
  const pluginDir = path.join(app.dir, 'plugins', 'late-arrival');
  const event = await waitForEvent(
    `${address}/api/events`,
    app.adminCookie,
    (data) => (data as { type: string }).type === 'plugins-changed',
    () => {
      mkdirSync(pluginDir, { recursive: true });
      writeFileSync(path.join(pluginDir, 'manifest.json'), JSON.stringify(testManifest('late-arrival')));
    },
  );
  expect(event).toMatchObject({ type: 'plugins-changed', plugins: ['late-arrival'] });
  expect(app.plugins.get('late-arrival')?.state).toBe('active');

  const removed = await waitForEvent(
    `${address}/api/events`,
    app.adminCookie,
    (data) => (data as { plugins: string[] }).plugins?.includes('late-arrival'),
    () => rmSync(pluginDir, { recursive: true, force: true }),
  );
  expect(removed).toMatchObject({ type: 'plugins-changed' });
  expect(app.plugins.get('late-arrival')).toBeUndefined();
});

test('the event stream needs a session', async () => {
  app = await startTestApp();
  const response = await app.server.inject('/api/events');
  expect(response.statusCode).toBe(401);
});
