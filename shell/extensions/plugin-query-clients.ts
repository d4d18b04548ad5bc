import { QueryClient } from '@tanstack/react-query';

/**
 * One TanStack Query cache per plugin: a plugin's `useQuery` keys live in its own client, so one plugin
 * cannot read, invalidate or clear another's cached data (or the shell's) by accident.
 */
export function createPluginQueryClients() {
  const clients = new Map<string, QueryClient>();
  return {
    clientFor(plugin: string): QueryClient {
      let client = clients.get(plugin);
      if (!client) {
        client = new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, retry: 1 } } });
        clients.set(plugin, client);
      }
      return client;
    },
    /** Drops a plugin's cache, e.g. when it is disabled or removed. */
    forget(plugin: string): void {
      clients.get(plugin)?.clear();
      clients.delete(plugin);
    },
  };
}

export type PluginQueryClients = ReturnType<typeof createPluginQueryClients>;
