/**
 * The libraries the shell shares with every plugin remote, once, as singletons: one table that both the
 * shell's build and the plugin build preset read. Keys match import paths. A range change here is a
 * change to the plugin API; `shared-modules.test.ts` checks the installed versions still satisfy it.
 */
export const sharedModules = {
  react: '^19.0.0',
  'react/jsx-runtime': '^19.0.0',
  'react-dom': '^19.0.0',
  'react-dom/client': '^19.0.0',
  'react-router': '^7.0.0',
  zustand: '^5.0.0',
  '@tanstack/react-query': '^5.0.0',
} as const;

export type SharedModuleName = keyof typeof sharedModules;

interface SharedConfig {
  singleton: true;
  requiredVersion: string;
  import?: false;
}

/** The `shared` option for a Module Federation plugin; remotes ship no copy and always use the shell's. */
export function sharedConfig(role: 'host' | 'remote'): Record<string, SharedConfig> {
  return Object.fromEntries(
    Object.entries(sharedModules).map(([name, requiredVersion]) => [
      name,
      role === 'remote' ? { singleton: true, requiredVersion, import: false } : { singleton: true, requiredVersion },
    ]),
  );
}
