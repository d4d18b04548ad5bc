import { z } from 'zod';
import { Capability, capabilityDescriptions } from './capabilities.ts';
import type { PluginManifest } from './plugin-manifest.schema.ts';
import { ToolEffect, toolFingerprint } from './tools.schema.ts';

/**
 * Everything one plugin version asks an admin for, as one list (SPEC 4.3): its capabilities, OS grants (folders
 * with read or write, environment variables, network hosts), resource limits above the server's defaults, and
 * code it runs from elsewhere (an absolute frontend remote, a deployed backend URL). An admin approves the whole
 * list per version; a version runs only when every item is approved.
 */
export const AccessItem = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('capability'), capability: Capability }),
  z.object({ kind: z.literal('fs'), path: z.string(), access: z.enum(['read', 'write']) }),
  z.object({ kind: z.literal('env'), name: z.string() }),
  z.object({ kind: z.literal('network'), host: z.string() }),
  z.object({
    kind: z.literal('limit'),
    limit: z.enum(['timeoutMs', 'memoryMb']),
    value: z.number(),
    /** The server's default this asks to go above. */
    default: z.number(),
  }),
  z.object({ kind: z.literal('remote'), url: z.string() }),
  z.object({ kind: z.literal('backend-url'), url: z.string() }),
  /** A tool offered to people and agents; `fingerprint` covers its schemas, effect and capabilities. */
  z.object({
    kind: z.literal('tool'),
    name: z.string(),
    title: z.string(),
    effect: ToolEffect,
    fingerprint: z.string(),
  }),
]);
export type AccessItem = z.infer<typeof AccessItem>;

/** The server's defaults: a limit at or below them asks for nothing. */
export interface AccessDefaults {
  timeoutMs: number;
  memoryMb: number;
}

/**
 * The limits a backend gets without asking (PLUGIN_TIMEOUT_MS, PLUGIN_MEMORY_MB) and the most this server ever
 * grants (PLUGIN_MAX_TIMEOUT_MS, PLUGIN_MAX_MEMORY_MB): a version asking above a ceiling cannot run here.
 */
export interface LimitPolicy {
  defaults: AccessDefaults;
  ceilings: AccessDefaults;
}

/** An item as the approval screen and the API show it: its key, plain words, and whether it is approved. */
export const AccessEntry = z.object({
  key: z.string(),
  item: AccessItem,
  description: z.string(),
  approved: z.boolean(),
});
export type AccessEntry = z.infer<typeof AccessEntry>;

/**
 * The stable key an approval records. Capabilities keep their bare name, so approvals recorded before OS grants
 * existed still read right. A limit's key carries its value: approving 512 MB covers any version asking 512 or less.
 */
export function accessKey(item: AccessItem): string {
  switch (item.kind) {
    case 'capability':
      return item.capability;
    case 'fs':
      return `fs.${item.access}:${item.path}`;
    case 'env':
      return `env:${item.name}`;
    case 'network':
      return `network:${item.host}`;
    case 'limit':
      return `limit.${item.limit}:${item.value}`;
    case 'remote':
      return `remote:${item.url}`;
    case 'backend-url':
      return `backend-url:${item.url}`;
    case 'tool':
      return `tool:${item.name}@${item.fingerprint}`;
  }
}

/** Everything a manifest asks for, in a fixed order (capabilities first). Pure. */
export function accessRequestOf(manifest: PluginManifest, defaults: AccessDefaults): AccessItem[] {
  const items: AccessItem[] = manifest.capabilities.map((capability) => ({ kind: 'capability', capability }));
  for (const grant of manifest.permissions?.fs ?? []) {
    items.push(
      typeof grant === 'string'
        ? { kind: 'fs', path: grant, access: 'read' }
        : { kind: 'fs', path: grant.path, access: grant.access },
    );
  }
  for (const name of manifest.permissions?.env ?? []) items.push({ kind: 'env', name });
  for (const host of manifest.permissions?.network ?? []) items.push({ kind: 'network', host });
  const limits = manifest.backend?.limits;
  for (const limit of ['timeoutMs', 'memoryMb'] as const) {
    const value = limits?.[limit];
    if (value !== undefined && value > defaults[limit]) {
      items.push({ kind: 'limit', limit, value, default: defaults[limit] });
    }
  }
  const remote = manifest.frontend?.remote;
  if (remote && /^https?:\/\//.test(remote)) items.push({ kind: 'remote', url: remote });
  if (manifest.backend?.url) items.push({ kind: 'backend-url', url: manifest.backend.url });
  for (const tool of manifest.tools ?? []) {
    const { name, title, effect } = tool;
    items.push({ kind: 'tool', name, title, effect, fingerprint: toolFingerprint(tool) });
  }
  return items;
}

const LIMIT_KEY = /^limit\.(timeoutMs|memoryMb):(\d+)$/;

/**
 * Whether `approved` (keys an admin approved, plus what the server's policy approves by itself) covers `item`.
 * A write grant covers a read of the same folder; an approved limit covers any smaller value of that limit.
 */
export function isApproved(item: AccessItem, approved: ReadonlySet<string>): boolean {
  if (approved.has(accessKey(item))) return true;
  if (item.kind === 'fs' && item.access === 'read') return approved.has(`fs.write:${item.path}`);
  if (item.kind === 'limit') {
    for (const key of approved) {
      const match = LIMIT_KEY.exec(key);
      if (match && match[1] === item.limit && Number(match[2]) >= item.value) return true;
    }
  }
  return false;
}

function formatLimit(limit: 'timeoutMs' | 'memoryMb', value: number): string {
  if (limit === 'memoryMb') return `${value.toLocaleString('en-US')} MB`;
  return value % 1000 === 0 ? `${(value / 1000).toLocaleString('en-US')} s` : `${value} ms`;
}

const CEILING_SETTINGS = { timeoutMs: 'PLUGIN_MAX_TIMEOUT_MS', memoryMb: 'PLUGIN_MAX_MEMORY_MB' } as const;

/** Each limit a manifest asks above this server's ceiling, named with the value and the ceiling. Pure. */
export function ceilingProblems(manifest: PluginManifest, ceilings: AccessDefaults): string[] {
  const limits = manifest.backend?.limits;
  return (['timeoutMs', 'memoryMb'] as const).flatMap((limit) => {
    const value = limits?.[limit];
    if (value === undefined || value <= ceilings[limit]) return [];
    const asked = formatLimit(limit, value);
    const ceiling = formatLimit(limit, ceilings[limit]);
    return [
      `backend.limits.${limit} asks for ${asked}, above this server's ceiling of ${ceiling} (${CEILING_SETTINGS[limit]})`,
    ];
  });
}

/** One line in plain words for the approval screen, the update diff and the API. */
export function describeAccess(item: AccessItem): string {
  switch (item.kind) {
    case 'capability':
      return capabilityDescriptions[item.capability];
    case 'fs':
      return item.access === 'write'
        ? `Read and write files in the folder ${item.path}`
        : `Read files in the folder ${item.path}`;
    case 'env':
      return `Read the server's environment variable ${item.name}`;
    case 'network':
      return `Open network connections to ${item.host}`;
    case 'limit':
      return item.limit === 'memoryMb'
        ? `Use up to ${formatLimit('memoryMb', item.value)} of memory (the default is ${formatLimit('memoryMb', item.default)})`
        : `Take up to ${formatLimit('timeoutMs', item.value)} per call (the default is ${formatLimit('timeoutMs', item.default)})`;
    case 'remote':
      return `Run interface code served from ${item.url}, pinned to what it serves at approval`;
    case 'backend-url':
      return `Receive its users' requests at its own server ${item.url}`;
    case 'tool':
      return item.effect === 'change'
        ? `Offer the tool "${item.title}" (${item.name}), which changes things, to people and agents in its workspaces`
        : `Offer the tool "${item.title}" (${item.name}), which only reads, to people and agents in its workspaces`;
  }
}

/** The request with each item's key, words and whether `approved` covers it. */
export function accessEntries(items: readonly AccessItem[], approved: ReadonlySet<string>): AccessEntry[] {
  return items.map((item) => ({
    key: accessKey(item),
    item,
    description: describeAccess(item),
    approved: isApproved(item, approved),
  }));
}

/** What moving from one version's request to the next adds and removes, by key. Pure. */
export function accessDiff(
  before: readonly AccessItem[],
  after: readonly AccessItem[],
): { added: AccessItem[]; removed: AccessItem[] } {
  const beforeKeys = new Set(before.map(accessKey));
  const afterKeys = new Set(after.map(accessKey));
  return {
    added: after.filter((i) => !beforeKeys.has(accessKey(i))),
    removed: before.filter((i) => !afterKeys.has(accessKey(i))),
  };
}

/** How the approval screen groups a request, in this order. */
const GROUPS: readonly { title: string; kinds: readonly AccessItem['kind'][] }[] = [
  { title: 'Capabilities', kinds: ['capability'] },
  { title: 'Files', kinds: ['fs'] },
  { title: 'Environment', kinds: ['env'] },
  { title: 'Network', kinds: ['network'] },
  { title: 'Limits', kinds: ['limit'] },
  { title: 'Code from elsewhere', kinds: ['remote', 'backend-url'] },
  { title: 'Tools', kinds: ['tool'] },
];

/** Entries in their groups (capabilities, files, environment, network, limits, code from elsewhere, tools); no empty group. */
export function groupAccess<T extends { item: AccessItem }>(entries: readonly T[]): { title: string; entries: T[] }[] {
  return GROUPS.map((group) => ({
    title: group.title,
    entries: entries.filter((e) => group.kinds.includes(e.item.kind)),
  })).filter((group) => group.entries.length > 0);
}
