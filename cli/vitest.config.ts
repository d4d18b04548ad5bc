// The CLI's tests and the example plugins' own tests, which the root vitest.config.ts does not include yet:
// `npx vitest run -c cli/vitest.config.ts`. (Adding these globs to the root config's `include` makes this file moot.)
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['cli/**/*.test.ts', 'plugins/*/{src,backend}/**/*.test.{ts,tsx}'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
