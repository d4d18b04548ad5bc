import type { RuleSetRule } from '@rspack/core';

/**
 * TypeScript and TSX through rspack's built-in swc; type checking is `npm run typecheck`'s job.
 * `jsxDev` compiles JSX to `react/jsx-dev-runtime`: only for the shell's own development builds. Remotes
 * always use `react/jsx-runtime`, the one the shell shares, since a dev-only runtime would call into a
 * production React that lacks its debugging hooks.
 */
export function typescriptRule(jsxDev: boolean): RuleSetRule {
  return {
    test: /\.(ts|tsx)$/,
    exclude: /node_modules/,
    loader: 'builtin:swc-loader',
    options: {
      detectSyntax: 'auto',
      jsc: {
        target: 'es2022',
        transform: { react: { runtime: 'automatic', development: jsxDev, refresh: false } },
      },
    },
    type: 'javascript/auto',
  };
}
