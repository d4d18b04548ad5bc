import { createHash } from 'node:crypto';
import type { Json } from '@dbt-workbench/plugin-sdk/node/configuration';
import { listExtensions } from '../../shared/http/plugins.ts';
import { encodeAnswer, type EncodedAnswer } from '../http/contract-route.ts';
import type { RegisteredPlugin } from '../plugins/registry.ts';
import { extensionsOf } from './extensions.ts';

/** A workspace's extensions list as sent: the JSON body (encoded once, not per answer) and its strong entity tag. */
export interface ExtensionsAnswer {
  body: EncodedAnswer<typeof listExtensions>;
  etag: string;
}

/** True when an `If-None-Match` header names `etag` (or is `*`): weak comparison, as RFC 9110 asks there. Pure. */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag);
}

/**
 * Builds each workspace's extensions list once per registry list (the registry replaces its list on every refresh,
 * so a change of state, enablement, approval, configuration or UI trust is a new list) and per workspace overrides.
 * The list does not depend on who asks: plugin tokens are issued per session by their own route, never in it.
 */
export function createExtensionsCache() {
  const byList = new WeakMap<
    readonly RegisteredPlugin[],
    Map<string, { overrides: string; answer: ExtensionsAnswer }>
  >();
  return {
    answer(plugins: readonly RegisteredPlugin[], workspace: string, overrides: ReadonlyMap<string, Json>) {
      let byWorkspace = byList.get(plugins);
      if (!byWorkspace) byList.set(plugins, (byWorkspace = new Map()));
      const overridesKey = JSON.stringify([...overrides].sort(([a], [b]) => a.localeCompare(b)));
      const held = byWorkspace.get(workspace);
      if (held?.overrides === overridesKey) return held.answer;
      const list = { workspace, extensions: extensionsOf(plugins, workspace, overrides) };
      const body = encodeAnswer(listExtensions, 200, list);
      const answer = { body, etag: `"${createHash('sha256').update(body.bytes).digest('base64url')}"` };
      byWorkspace.set(workspace, { overrides: overridesKey, answer });
      return answer;
    },
  };
}
