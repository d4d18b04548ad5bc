import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      '{shared,server,shell,scripts,cli}/**/*.test.{ts,tsx}',
      'packages/*/src/**/*.test.{ts,tsx}',
      'plugins/*/{src,backend}/**/*.test.{ts,tsx}',
    ],
    environment: 'node',
    testTimeout: 20_000,
  },
});
