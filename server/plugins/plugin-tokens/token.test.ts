import { describe, expect, test } from 'vitest';
import { pluginTokenProblem, sessionIdOf, signPluginToken } from './token.ts';

const secret = 'a-secret-of-the-server-for-tests';
const session = sessionIdOf('cookie-of-alice');
const claims = { plugin: 'notes', workspace: 'alpha', expiresAt: 1_000_000 };
const expected = { sessionId: session, plugin: 'notes', workspace: 'alpha', now: 999_999 };
const token = signPluginToken(secret, session, claims);

describe('plugin tokens', () => {
  test('a token holds for its session, plugin and workspace until it expires', () => {
    expect(pluginTokenProblem(secret, token, expected)).toBeUndefined();
    expect(pluginTokenProblem(secret, token, { ...expected, now: 1_000_000 })).toMatch(
      /expired at 1970-01-01T00:16:40/,
    );
  });

  test('another plugin, workspace or session is named; a token never says who holds it', () => {
    expect(pluginTokenProblem(secret, token, { ...expected, plugin: 'other' })).toBe(
      'The plugin token is for plugin "notes", not "other"',
    );
    expect(pluginTokenProblem(secret, token, { ...expected, workspace: 'beta' })).toBe(
      'The plugin token is for workspace "alpha", not "beta"',
    );
    expect(pluginTokenProblem(secret, token, { ...expected, sessionId: sessionIdOf('cookie-of-bob') })).toBe(
      'The plugin token was not issued to this session, or it was altered',
    );
    expect(token).not.toContain('cookie-of-alice');
    expect(token).not.toContain(session);
  });

  test('claims rewritten by whoever holds a token, or another key, break its signature', () => {
    const [, signature] = token.split('.');
    for (const forged of [
      { ...claims, plugin: 'other' },
      { ...claims, expiresAt: 9_999_999_999_999 },
    ]) {
      const body = Buffer.from(JSON.stringify([forged.plugin, forged.workspace, forged.expiresAt])).toString(
        'base64url',
      );
      expect(pluginTokenProblem(secret, `${body}.${signature}`, { ...expected, plugin: forged.plugin })).toMatch(
        /not issued to this session, or it was altered/,
      );
    }
    expect(pluginTokenProblem('another-secret-of-another-server', token, expected)).toMatch(/altered/);
  });

  test('anything else is malformed', () => {
    for (const junk of ['', 'x', 'a.b.c', `${Buffer.from('{}').toString('base64url')}.sig`, 'not-base64!.x'])
      expect(pluginTokenProblem(secret, junk, expected), junk).toMatch(/malformed|altered/);
    expect(pluginTokenProblem(secret, '', expected)).toBe('The plugin token is malformed');
  });
});
