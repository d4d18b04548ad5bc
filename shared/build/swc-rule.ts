import type { RuleSetRule } from '@rspack/core';

/** TypeScript and TSX through rspack's built-in swc; type checking is `npm run typecheck`'s job. */
export function typescriptRule(mode: 'development' | 'production'): RuleSetRule {
  return {
    test: /\.(ts|tsx)$/,
    exclude: /node_modules/,
    loader: 'builtin:swc-loader',
    options: {
      detectSyntax: 'auto',
      jsc: {
        target: 'es2022',
        transform: { react: { runtime: 'automatic', development: mode === 'development', refresh: false } },
      },
    },
    type: 'javascript/auto',
  };
}
