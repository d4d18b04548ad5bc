import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { ServerEvent } from '../../shared/events.schema.ts';
import { queryKeys } from '../api/queries.ts';
import { useMe } from '../auth/session.ts';
import { noticesQueryKey } from '../notices/queries.ts';

/**
 * Listens to `GET /api/events` while a user is signed in and refetches what an event says changed, so
 * plugin UI appears, changes and disappears in open shells without a reload. EventSource reconnects
 * by itself; after a reconnect everything is refetched, since events may have been missed.
 */
export function ServerEvents() {
  const client = useQueryClient();
  const signedIn = Boolean(useMe().data);
  useEffect(() => {
    if (!signedIn) return;
    const source = new EventSource('/api/events');
    let connectedBefore = false;
    const refetchNotices = () => void client.invalidateQueries({ queryKey: noticesQueryKey });
    const refetchPlugins = () => {
      void client.invalidateQueries({ queryKey: queryKeys.plugins });
      void client.invalidateQueries({
        predicate: (q) => q.queryKey[0] === 'workspaces' && q.queryKey[2] === 'extensions',
      });
    };
    source.addEventListener('open', () => {
      if (connectedBefore) {
        refetchPlugins();
        refetchNotices();
      }
      connectedBefore = true;
    });
    source.addEventListener('plugins-changed', (message) => {
      const event = ServerEvent.safeParse(JSON.parse((message as MessageEvent<string>).data));
      if (event.success) refetchPlugins();
    });
    // A workspace's configuration of a plugin: its widgets render again with the new values.
    source.addEventListener('plugin-config-changed', (message) => {
      const event = ServerEvent.safeParse(JSON.parse((message as MessageEvent<string>).data));
      if (event.success && event.data.type === 'plugin-config-changed')
        void client.invalidateQueries({ queryKey: queryKeys.extensions(event.data.workspace) });
    });
    // A plugin's backend started, went down or came back: its state and reason on the admin pages.
    source.addEventListener(
      'plugin-state-changed',
      () => void client.invalidateQueries({ queryKey: queryKeys.plugins }),
    );
    source.addEventListener('notices-changed', refetchNotices);
    return () => source.close();
  }, [client, signedIn]);
  return null;
}
