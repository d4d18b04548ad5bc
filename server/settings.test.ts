import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { generateSigningKey } from '@dbt-workbench/plugin-sdk/node/keys';
import { loadSettings } from './settings.ts';

const cwd = path.resolve('/srv/workbench');

function loadError(env: NodeJS.ProcessEnv): string {
  try {
    loadSettings(env, cwd);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`expected loadSettings to reject ${JSON.stringify(env)}`);
}

describe('loadSettings', () => {
  test('defaults', () => {
    expect(loadSettings({}, cwd)).toEqual({
      port: 8080,
      host: '0.0.0.0',
      pluginsDirectory: path.join(cwd, 'plugins'),
      pluginSystemEnabled: true,
      dataDirectory: path.join(cwd, '.data'),
      databaseUrl: undefined,
      logLevel: 'info',
      shellDistDirectory: path.join(cwd, 'dist', 'shell'),
      isolationDistDirectory: path.join(cwd, 'dist', 'isolation'),
      workspacesFile: path.join(cwd, 'workbench.config.json'),
      firstAdmin: { username: 'admin', password: undefined },
      sessionTtlMs: 7 * 24 * 3_600_000,
      secureCookies: false,
      trustProxy: false,
      signIn: { freeFailuresPerUser: 5, freeFailuresPerAddress: 20, maxDelayMs: 900_000, attemptsPerMinute: 60 },
      watchPlugins: true,
      sqlTimeoutMs: 30_000,
      pluginsEnabledByDefault: true,
      pluginLoadTimeoutMs: 15_000,
      remoteCheckIntervalMs: 300_000,
      devSessionTtlMs: 60_000,
      capabilityPolicy: {
        autoApprove: [],
        forbidden: [],
        signatures: { mode: 'warn', trustedKeys: new Map() },
        limits: { defaults: { timeoutMs: 5000, memoryMb: 128 }, ceilings: { timeoutMs: 60_000, memoryMb: 1024 } },
      },
      pluginBackends: {
        timeoutMs: 5000,
        memoryMb: 128,
        osLayers: true,
        uidBase: 61_000,
        networkAllowed: [],
        ratePerSecond: 100,
        rateBurst: 200,
        maxResponseBytes: 5 * 1024 * 1024,
        maxConcurrentCalls: 32,
        drainMs: 10_000,
        idleMs: 600_000,
        triggerMinIntervalMs: 60_000,
        secret: undefined,
      },
      pluginPackages: {
        maxBytes: 50 * 1024 * 1024,
        maxFiles: 5000,
        maxManifestBytes: 256 * 1024,
        catalog: path.join(cwd, 'marketplace'),
        gitTimeoutMs: 120_000,
        keepVersions: 3,
      },
      pluginOperations: {
        logMaxBytes: 5 * 1024 * 1024,
        logMaxAgeMs: 7 * 24 * 3_600_000,
        logLinesPerSecond: 200,
        metricsIntervalMs: 10_000,
        metricsKeep: 360,
        budget: { errorRate: 0.5, p95Ms: 2000, restarts: 5, minCalls: 20, windowMs: 300_000, autoDisable: true },
      },
      testCrashAt: undefined,
    });
  });

  test('PLUGIN_CATALOG is a path resolved against the working directory, or an http(s) URL kept as is', () => {
    expect(loadSettings({ PLUGIN_CATALOG: 'e2e/fixtures/marketplace' }, cwd).pluginPackages.catalog).toBe(
      path.join(cwd, 'e2e', 'fixtures', 'marketplace'),
    );
    expect(loadSettings({ PLUGIN_CATALOG: 'https://plugins.example.com/index.json' }, cwd).pluginPackages.catalog).toBe(
      'https://plugins.example.com/index.json',
    );
    expect(loadSettings({ PLUGIN_MAX_PACKAGE_MB: '0.5' }, cwd).pluginPackages.maxBytes).toBe(512 * 1024);
    expect(() => loadSettings({ PLUGIN_MAX_PACKAGE_MB: '0' }, cwd)).toThrow('PLUGIN_MAX_PACKAGE_MB');
  });

  test('PLUGIN_DRAIN_MS is whole milliseconds, 0 (no drain) included; a negative one is named in the error', () => {
    expect(loadSettings({ PLUGIN_DRAIN_MS: '0' }, cwd).pluginBackends.drainMs).toBe(0);
    expect(loadSettings({ PLUGIN_DRAIN_MS: '30000' }, cwd).pluginBackends.drainMs).toBe(30_000);
    expect(() => loadSettings({ PLUGIN_DRAIN_MS: '-1' }, cwd)).toThrow('PLUGIN_DRAIN_MS');
  });

  test('capability policies are comma-separated capability names; an unknown one is named in the error', () => {
    expect(
      loadSettings(
        { PLUGIN_AUTO_APPROVE: 'read-metadata, extend-api', PLUGIN_FORBIDDEN_CAPABILITIES: 'access-sql-workspace' },
        cwd,
      ).capabilityPolicy,
    ).toMatchObject({
      autoApprove: ['read-metadata', 'extend-api'],
      forbidden: ['access-sql-workspace'],
    });
    expect(() => loadSettings({ PLUGIN_FORBIDDEN_CAPABILITIES: 'read-everything' }, cwd)).toThrow(
      'PLUGIN_FORBIDDEN_CAPABILITIES[0]',
    );
  });

  test('limit ceilings are admin settings, never below the defaults', () => {
    const env = { PLUGIN_MAX_TIMEOUT_MS: '120000', PLUGIN_MAX_MEMORY_MB: '2048' };
    expect(loadSettings(env, cwd).capabilityPolicy.limits.ceilings).toEqual({ timeoutMs: 120_000, memoryMb: 2048 });
    expect(() => loadSettings({ PLUGIN_MEMORY_MB: '512', PLUGIN_MAX_MEMORY_MB: '256' }, cwd)).toThrow(
      'PLUGIN_MAX_MEMORY_MB: must be at least PLUGIN_MEMORY_MB (512), not 256',
    );
  });

  test('TRUST_PROXY is a flag or proxy addresses; sign-in throttling settings are read', () => {
    expect(loadSettings({ TRUST_PROXY: 'true' }, cwd).trustProxy).toBe(true);
    expect(loadSettings({ TRUST_PROXY: '10.0.0.1, 10.1.0.0/16' }, cwd).trustProxy).toEqual(['10.0.0.1', '10.1.0.0/16']);
    expect(loadError({ TRUST_PROXY: 'everyone' })).toContain('TRUST_PROXY: must be true, false, or a comma-separated');
    const env = { SIGN_IN_FREE_FAILURES: '3', SIGN_IN_MAX_DELAY_S: '60', SIGN_IN_ATTEMPTS_PER_MINUTE: '10' };
    expect(loadSettings(env, cwd).signIn).toEqual({
      freeFailuresPerUser: 3,
      freeFailuresPerAddress: 20,
      maxDelayMs: 60_000,
      attemptsPerMinute: 10,
    });
    expect(loadError({ SIGN_IN_FREE_FAILURES: '0' })).toContain('SIGN_IN_FREE_FAILURES');
  });

  test('an empty variable counts as unset', () => {
    expect(loadSettings({ PORT: '', PLUGIN_SYSTEM_ENABLED: '' }, cwd)).toMatchObject({
      port: 8080,
      pluginSystemEnabled: true,
    });
  });

  test('PORT and a relative PLUGINS_DIRECTORY are read', () => {
    const settings = loadSettings({ PORT: '3000', PLUGINS_DIRECTORY: 'extensions/wb' }, cwd);
    expect(settings.port).toBe(3000);
    expect(settings.pluginsDirectory).toBe(path.join(cwd, 'extensions', 'wb'));
  });

  test('an absolute PLUGINS_DIRECTORY is kept', () => {
    const absolute = path.resolve('/opt/plugins');
    expect(loadSettings({ PLUGINS_DIRECTORY: absolute }, cwd).pluginsDirectory).toBe(absolute);
  });

  test.each(['false', '0', 'no'])('PLUGIN_SYSTEM_ENABLED=%s disables the plugin system', (value) => {
    expect(loadSettings({ PLUGIN_SYSTEM_ENABLED: value }, cwd).pluginSystemEnabled).toBe(false);
  });

  test.each(['true', '1', 'yes'])('PLUGIN_SYSTEM_ENABLED=%s enables the plugin system', (value) => {
    expect(loadSettings({ PLUGIN_SYSTEM_ENABLED: value }, cwd).pluginSystemEnabled).toBe(true);
  });

  test.each(['abc', '70000', '-1', '80.5'])('PORT=%s is an error naming PORT', (value) => {
    const message = loadError({ PORT: value });
    expect(message).toMatch(/^Invalid settings/);
    expect(message).toContain('PORT:');
    expect(message).not.toContain('PLUGIN_SYSTEM_ENABLED');
  });

  // Known bug: validation.ts reports a zod `invalid_type` issue as "is required" whenever zod 4 leaves
  // `input` off the issue, so PORT=abc (coerced to NaN) reads "PORT: is required". Flip to `test` once fixed.
  test('PORT=abc does not claim PORT is missing', () => {
    expect(loadError({ PORT: 'abc' })).not.toContain('is required');
  });

  test.each(['maybe', 'TRUE', 'off'])('PLUGIN_SYSTEM_ENABLED=%s is an error naming the variable', (value) => {
    const message = loadError({ PLUGIN_SYSTEM_ENABLED: value });
    expect(message).toContain('PLUGIN_SYSTEM_ENABLED: must be true or false');
    expect(message).not.toContain('PORT');
  });

  test('every bad variable is named in one error', () => {
    const message = loadError({ PORT: '99999', PLUGIN_SYSTEM_ENABLED: 'maybe', LOG_LEVEL: 'loud' });
    expect(message).toContain('PORT:');
    expect(message).toContain('PLUGIN_SYSTEM_ENABLED:');
    expect(message).toContain('LOG_LEVEL:');
  });
});

describe('plugin signing settings', () => {
  test('PLUGIN_SIGNATURES is require, warn or off; anything else names the variable', () => {
    expect(loadSettings({ PLUGIN_SIGNATURES: 'require' }, cwd).capabilityPolicy.signatures.mode).toBe('require');
    expect(loadSettings({ PLUGIN_SIGNATURES: 'off' }, cwd).capabilityPolicy.signatures.mode).toBe('off');
    expect(() => loadSettings({ PLUGIN_SIGNATURES: 'strict' }, cwd)).toThrow(
      'PLUGIN_SIGNATURES: must be require, warn or off',
    );
  });

  test('PLUGIN_TRUSTED_KEYS is read at start, keyed by keyId; a bad key file stops the start with its name', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'wb-keys-'));
    const { publicKey } = generateSigningKey('Data team');
    writeFileSync(path.join(dir, 'data-team.json'), JSON.stringify(publicKey));
    const keys = loadSettings({ PLUGIN_TRUSTED_KEYS: dir }, cwd).capabilityPolicy.signatures.trustedKeys;
    expect([...keys.keys()]).toEqual([publicKey.keyId]);
    writeFileSync(path.join(dir, 'broken.json'), JSON.stringify({ keyId: 'x', publicKey: 'not a key' }));
    expect(() => loadSettings({ PLUGIN_TRUSTED_KEYS: dir }, cwd)).toThrow(/broken\.json: publicKey/);
  });
});
