import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { targetAppVersion } from './host.ts';

const versionOf = (file: string) =>
  (JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8')) as { version: string }).version;

test('the CLI targets the app release it ships with: app, SDK and CLI share one version', () => {
  expect(targetAppVersion()).toBe(versionOf('../../../package.json'));
  expect(versionOf('../package.json')).toBe(versionOf('../../../package.json'));
});
