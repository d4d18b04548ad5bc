// The lint rules of the repository (eslint.config.js at the root uses them): ESLint's and typescript-eslint's
// recommended sets, without type information (type-aware rules would build a program of the whole repository, as
// slow as a type-check). Rules changed from the recommended sets say why.
import { createRequire, registerHooks } from 'node:module';
import { pathToFileURL } from 'node:url';
import js from '@eslint/js';
import globals from 'globals';

// The app compiles with TypeScript 7, whose package has no JavaScript API; typescript-eslint parses with the
// TypeScript 6 of this package. npm hoists some of its helpers (ts-api-utils) next to TypeScript 7, so every
// `typescript` asked for in the lint process is pointed here.
const typescript = pathToFileURL(createRequire(import.meta.url).resolve('typescript')).href;
registerHooks({
  resolve: (specifier, context, next) =>
    specifier === 'typescript' ? { url: typescript, shortCircuit: true } : next(specifier, context),
});
const { default: tseslint } = await import('typescript-eslint');

export default tseslint.config(
  {
    // What .gitignore leaves out: dependencies, builds, test output, demo copies.
    ignores: [
      '**/node_modules/',
      '**/dist/',
      '**/frontend/',
      'test-results/',
      '.test-results/',
      'playwright-report/',
      '.demo/',
      '.data/',
      // Third-party data and its generator, copied unchanged.
      'fixtures/dbt-artifacts/',
    ],
  },
  {
    files: ['**/*.{ts,tsx,js,mjs,cjs}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      // A leading underscore marks what is unused on purpose (an argument a signature needs, a field left out).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // `catch {}` says "absent is fine" (an optional file, a best-effort cleanup).
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    // Tests break inputs on purpose through loosely typed documents (shared/testing/manifests.ts ManifestDoc).
    files: ['**/*.test.{ts,tsx}', '**/testing.ts', '**/testing/**', 'e2e/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Playwright fixtures take what they need by destructuring their first argument: `{}` when they need nothing.
    files: ['e2e/**'],
    rules: { 'no-empty-pattern': 'off' },
  },
);
