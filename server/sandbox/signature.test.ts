import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { pluginKey, sign, signedText, verify, type SignedFacts } from './signature.ts';

const facts: SignedFacts = {
  timestamp: '1700000000000',
  method: 'post',
  path: '/notes?model=a',
  plugin: 'notes',
  userId: 'u1',
  username: 'ann',
  workspace: 'shop',
  role: 'developer',
  body: '{"text":"hi"}',
};

describe('identity signatures', () => {
  test('the signed text is the documented lines, the body as its SHA-256', () => {
    const bodyHash = createHash('sha256').update(String(facts.body)).digest('hex');
    expect(signedText(facts)).toBe(
      `v1\n1700000000000\nPOST\n/notes?model=a\nnotes\nu1\nann\nshop\ndeveloper\n${bodyHash}`,
    );
  });

  test('a signature verifies with the same key only, for the same facts, within the clock skew', () => {
    const key = pluginKey('secret-secret-secret', 'notes');
    const signature = sign(key, facts);
    expect(signature).toMatch(/^v1=[0-9a-f]{64}$/);
    const now = Number(facts.timestamp);
    expect(verify(key, facts, signature, now)).toBe(true);
    expect(verify(pluginKey('secret-secret-secret', 'other'), facts, signature, now)).toBe(false);
    expect(verify(key, { ...facts, workspace: 'elsewhere' }, signature, now)).toBe(false);
    expect(verify(key, { ...facts, body: '{"text":"changed"}' }, signature, now)).toBe(false);
    expect(verify(key, facts, signature, now + 10 * 60_000)).toBe(false);
  });
});
