import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { SigningKeyList } from '../../../shared/signing-keys.schema.ts';
import { testManifest } from '../../../shared/testing/manifests.ts';
import { startTestApp, type TestApp } from '../../testing/test-app.ts';
import { parsePublicKey } from './key-store.ts';
import { generateSigningKey } from '@dbt-workbench/plugin-sdk/node/keys';
import { signPluginDirectory } from '@dbt-workbench/plugin-sdk/node/sign';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('parsePublicKey', () => {
  const key = generateSigningKey();
  const der = createPublicKey(key.publicKey.publicKey).export({ type: 'spki', format: 'der' });

  test('reads PEM, base64 DER and base64 of the raw 32 bytes as the same key', () => {
    const pem = key.publicKey.publicKey;
    expect(parsePublicKey(pem)).toEqual({ ok: true, pem });
    expect(parsePublicKey(der.toString('base64'))).toEqual({ ok: true, pem });
    expect(parsePublicKey(der.subarray(-32).toString('base64'))).toEqual({ ok: true, pem });
  });

  test('refuses a private key, another algorithm and garbage, saying which', () => {
    expect(parsePublicKey(key.privateKey)).toMatchObject({
      ok: false,
      problem: expect.stringContaining('private key'),
    });
    const rsa = createPublicKey({ key: generateRsa(), format: 'pem' }).export({ type: 'spki', format: 'pem' });
    expect(parsePublicKey(rsa.toString())).toMatchObject({ ok: false, problem: 'is a rsa key, not ed25519' });
    expect(parsePublicKey('not a key!')).toMatchObject({ ok: false, problem: 'is neither PEM nor base64' });
    expect(parsePublicKey('AAAA')).toMatchObject({ ok: false, problem: 'is not a readable ed25519 public key' });
  });
});

function generateRsa(): string {
  // A small RSA key is enough to be the wrong kind.
  return generateKeyPairSync('rsa', { modulusLength: 1024 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
}

test('an admin trusts a key through the API, without a restart: the plugin it signed activates; removing it refuses the plugin again', async () => {
  const team = generateSigningKey('Finance analytics');
  // Signed before the server starts: a refused new build of a running plugin would keep the old one running.
  const signed = path.join(mkdtempSync(path.join(os.tmpdir(), 'wb-keys-')), 'finance');
  mkdirSync(signed, { recursive: true });
  writeFileSync(path.join(signed, 'manifest.json'), JSON.stringify(testManifest('finance')));
  await signPluginDirectory(signed, team.privateKey);
  app = await startTestApp({
    prepare: (dir) => cpSync(signed, path.join(dir, 'plugins', 'finance'), { recursive: true }),
  });
  const get = (url: string, cookie = app!.adminCookie) => app!.server.inject({ url, headers: { cookie } });
  // Under the default PLUGIN_SIGNATURES=warn a signature by an unknown key is refused, not just warned about.
  expect((await get('/api/plugins/finance')).json()).toMatchObject({
    state: 'invalid',
    reason: expect.stringContaining(`signed with key "${team.publicKey.keyId}", which this server does not trust`),
  });

  const viewer = await app.userWithRoles('viewer', { default: 'viewer' });
  expect((await get('/api/signing-keys', viewer)).statusCode).toBe(403);
  const forbidden = await app.server.inject({
    method: 'POST',
    url: '/api/signing-keys',
    headers: { cookie: viewer },
    payload: { name: 'Mallory', publicKey: generateSigningKey().publicKey.publicKey },
  });
  expect(forbidden.statusCode).toBe(403);

  const bad = await app.server.inject({
    method: 'POST',
    url: '/api/signing-keys',
    headers: { cookie: app.adminCookie },
    payload: { name: 'Finance', publicKey: team.privateKey },
  });
  expect(bad.statusCode).toBe(400);
  expect(bad.json()).toMatchObject({ error: { code: 'bad_request', message: expect.stringContaining('private key') } });
  expect(((await get('/api/signing-keys')).json() as SigningKeyList).keys).toEqual([]);

  const added = await app.server.inject({
    method: 'POST',
    url: '/api/signing-keys',
    headers: { cookie: app.adminCookie },
    payload: { name: 'Finance analytics', publicKey: team.publicKey.publicKey },
  });
  expect(added.statusCode).toBe(201);
  expect(added.json()).toMatchObject({ keyId: team.publicKey.keyId, owner: 'Finance analytics', source: 'admin' });
  expect((await get('/api/plugins/finance')).json()).toMatchObject({
    state: 'active',
    signedBy: `Finance analytics (key ${team.publicKey.keyId})`,
  });
  const again = await app.server.inject({
    method: 'POST',
    url: '/api/signing-keys',
    headers: { cookie: app.adminCookie },
    payload: { name: 'Twice', publicKey: team.publicKey.publicKey },
  });
  expect(again.statusCode).toBe(409);

  const removed = await app.server.inject({
    method: 'DELETE',
    url: `/api/signing-keys/${team.publicKey.keyId}`,
    headers: { cookie: app.adminCookie },
  });
  expect(removed.statusCode).toBe(200);
  expect((await get('/api/plugins/finance')).json()).toMatchObject({ state: 'invalid' });
  const missing = await app.server.inject({
    method: 'DELETE',
    url: `/api/signing-keys/${team.publicKey.keyId}`,
    headers: { cookie: app.adminCookie },
  });
  expect(missing.statusCode).toBe(404);

  const audit = (await get('/api/audit')).body;
  expect(audit).toContain('signing-key.add');
  expect(audit).toContain('signing-key.remove');
});

test('keys from PLUGIN_TRUSTED_KEYS are listed as from the setting and cannot be removed through the API', async () => {
  const ops = generateSigningKey('Platform team');
  app = await startTestApp({
    env: { PLUGIN_TRUSTED_KEYS: 'trusted.json' },
    prepare(dir) {
      writeFileSync(path.join(dir, 'trusted.json'), JSON.stringify([ops.publicKey]));
    },
  });
  const list = await app.server.inject({ url: '/api/signing-keys', headers: { cookie: app.adminCookie } });
  expect((list.json() as SigningKeyList).keys).toEqual([
    { keyId: ops.publicKey.keyId, owner: 'Platform team', publicKey: ops.publicKey.publicKey, source: 'setting' },
  ]);
  const removed = await app.server.inject({
    method: 'DELETE',
    url: `/api/signing-keys/${ops.publicKey.keyId}`,
    headers: { cookie: app.adminCookie },
  });
  expect(removed.statusCode).toBe(409);
  expect(removed.json().error.message).toContain('PLUGIN_TRUSTED_KEYS');
});
