import {
  createContext,
  lazy,
  useContext,
  useMemo,
  type ComponentType,
  type LazyExoticComponent,
  type ReactNode,
} from 'react';
import type { RemoteRef } from '../../shared/api.schema.ts';
import { createPluginQueryClients, type PluginQueryClients } from './plugin-query-clients.ts';
import { createPluginTokens, type PluginTokens } from './plugin-tokens.ts';
import type { RemoteLoader } from './remote-loader.ts';

export interface ExtensionRuntime {
  workspace: string;
  /** Each plugin's own query cache. */
  queryClients: PluginQueryClients;
  /** The tokens that tell the server which plugin calls the host data APIs. */
  tokens: PluginTokens;
  /** One lazy component per remote revision and module: same identity while the build is the same. */
  lazyComponent(remote: RemoteRef, module: string): LazyExoticComponent<ComponentType<Record<string, unknown>>>;
  /** Forgets a failed load so the next render loads the module again. */
  retry(remote: RemoteRef, module: string): void;
}

const RuntimeContext = createContext<ExtensionRuntime | null>(null);
const LoaderContext = createContext<RemoteLoader | null>(null);

/** Holds the one remote loader of the page, shared by every workspace the user visits. */
export function RemoteLoaderProvider(props: { loader: RemoteLoader; children: ReactNode }) {
  return <LoaderContext.Provider value={props.loader}>{props.children}</LoaderContext.Provider>;
}

export function useRemoteLoader(): RemoteLoader {
  const loader = useContext(LoaderContext);
  if (!loader) throw new Error('useRemoteLoader needs a RemoteLoaderProvider above it');
  return loader;
}

export function ExtensionRuntimeProvider(props: { loader: RemoteLoader; workspace: string; children: ReactNode }) {
  const { loader, workspace } = props;
  const runtime = useMemo<ExtensionRuntime>(() => {
    const components = new Map<string, LazyExoticComponent<ComponentType<Record<string, unknown>>>>();
    const keyOf = (remote: RemoteRef, module: string) => `${remote.name}@${remote.revision}:${module}`;
    return {
      workspace,
      queryClients: createPluginQueryClients(),
      tokens: createPluginTokens(),
      retry(remote, module) {
        components.delete(keyOf(remote, module));
        loader.forget(remote);
      },
      lazyComponent(remote, module) {
        const key = keyOf(remote, module);
        let component = components.get(key);
        if (!component) {
          component = lazy(async () => ({
            default: (await loader.loadComponent(remote, module)) as ComponentType<Record<string, unknown>>,
          }));
          components.set(key, component);
        }
        return component;
      },
    };
  }, [loader, workspace]);
  return <RuntimeContext.Provider value={runtime}>{props.children}</RuntimeContext.Provider>;
}

export function useExtensionRuntime(): ExtensionRuntime {
  const runtime = useContext(RuntimeContext);
  if (!runtime) throw new Error('useExtensionRuntime needs an ExtensionRuntimeProvider above it');
  return runtime;
}
