import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { describe, expect, test } from 'vitest';
import { sharedConfig, sharedModules } from './shared-modules.ts';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** `react/jsx-runtime` -> `react`, `@tanstack/react-query/x` -> `@tanstack/react-query`. */
function packageOf(importPath: string): string {
  const parts = importPath.split('/');
  return (importPath.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

function installedVersion(pkg: string): string {
  const file = path.join(repoRoot, 'node_modules', pkg, 'package.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
}

const entries = Object.entries(sharedModules);

describe('packageOf', () => {
  test.each([
    ['react', 'react'],
    ['react/jsx-runtime', 'react'],
    ['react-dom/client', 'react-dom'],
    ['@tanstack/react-query', '@tanstack/react-query'],
  ])('%s belongs to %s', (importPath, pkg) => {
    expect(packageOf(importPath)).toBe(pkg);
  });
});

describe('sharedModules', () => {
  test('lists the libraries the shell and remotes must share', () => {
    expect(Object.keys(sharedModules).sort()).toEqual(
      [
        '@tanstack/react-query',
        'react',
        'react-dom',
        'react-dom/client',
        'react-router',
        'react/jsx-runtime',
        'zustand',
      ].sort(),
    );
  });

  test.each(entries)('the installed version of %s satisfies %s', (importPath, range) => {
    expect(semver.validRange(range)).not.toBeNull();
    const version = installedVersion(packageOf(importPath));
    expect(semver.satisfies(version, range), `${packageOf(importPath)}@${version} vs ${range}`).toBe(true);
  });

  test('subpaths share the range of their package', () => {
    expect(sharedModules['react/jsx-runtime']).toBe(sharedModules.react);
    expect(sharedModules['react-dom/client']).toBe(sharedModules['react-dom']);
  });
});

describe('sharedConfig', () => {
  test.each(entries)('remote: %s is a singleton the remote does not bundle', (name, range) => {
    expect(sharedConfig('remote')[name]).toEqual({ singleton: true, requiredVersion: range, import: false });
  });

  test.each(entries)('host: %s is a singleton the host provides', (name, range) => {
    const config = sharedConfig('host')[name];
    expect(config).toEqual({ singleton: true, requiredVersion: range });
    expect(config).not.toHaveProperty('import');
  });

  test('covers exactly the shared modules for both roles', () => {
    expect(Object.keys(sharedConfig('remote'))).toEqual(Object.keys(sharedModules));
    expect(Object.keys(sharedConfig('host'))).toEqual(Object.keys(sharedModules));
  });
});
