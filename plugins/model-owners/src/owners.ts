import type { NodeDetail } from '@dbt-workbench/plugin-sdk';

/** Where a model's ownership comes from: its owner (meta.owner or group), else the folder it lives in. */
export function ownerOf(node: { owner: string | null; path: string | null }): { label: string; fromFolder: boolean } {
  if (node.owner) return { label: node.owner, fromFolder: false };
  const folder = node.path?.split('/').slice(0, -1).slice(-1)[0];
  return { label: folder ? `${folder}/` : 'unowned', fromFolder: true };
}

/** The Jinja a model author writes to use a node: `ref('x')` or `source('src', 'table')`. */
export function referenceOf(node: { id: string; name: string; resourceType: string }): string | null {
  if (node.resourceType === 'source') {
    // source.<package>.<source name>.<table>
    const [, , source, table] = node.id.split('.');
    return source && table ? `{{ source('${source}', '${table}') }}` : null;
  }
  if (['model', 'seed', 'snapshot'].includes(node.resourceType)) return `{{ ref('${node.name}') }}`;
  return null;
}

/** How a dbt selector names a node from its unique id: `source:raw.orders` for a source, else its name. */
export function selectorNameOf(uniqueId: string): string {
  const [type, , ...rest] = uniqueId.split('.');
  return type === 'source' && rest.length === 2 ? `source:${rest.join('.')}` : (rest.at(-1) ?? uniqueId);
}

/** The dbt selector of every node on the paths from `from` to `to`, both included: `orders+,+customers`. */
export function pathSelectorOf(edge: { from: string; to: string }): string {
  return `${selectorNameOf(edge.from)}+,+${selectorNameOf(edge.to)}`;
}

export type { NodeDetail };
