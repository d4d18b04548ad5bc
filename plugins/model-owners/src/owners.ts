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

export type { NodeDetail };
