import { workspacePath } from '../workspaces/workspace-context.tsx';

/** The page of a node: `models/…` for models and snapshots, `sources/…`, `seeds/…`, else `nodes/…`. Ids are encoded. */
export function nodePath(workspace: string, resourceType: string, uniqueId: string): string {
  const id = encodeURIComponent(uniqueId);
  const section =
    resourceType === 'model' || resourceType === 'snapshot'
      ? 'models'
      : resourceType === 'source'
        ? 'sources'
        : resourceType === 'seed'
          ? 'seeds'
          : 'nodes';
  return workspacePath(workspace, `${section}/${id}`);
}

/** A description as paragraphs of plain text: blank lines separate them; single line breaks stay inside. */
export function paragraphs(text: string): string[] {
  return text
    .replace(/\r\n/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
}

/** `2.37 s`, `850 ms`, `3 min 20 s`. */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '';
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}

/** `5 min ago`, `3 days ago`, or the date for anything older than a month. */
export function timeAgo(iso: string | null | undefined, now: Date = new Date()): string {
  if (!iso) return '';
  const then = new Date(iso);
  if (Number.isNaN(then.getTime())) return iso;
  const seconds = Math.round((now.getTime() - then.getTime()) / 1000);
  if (seconds < 0) return then.toLocaleString();
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  const hours = Math.floor(seconds / 3600);
  if (hours < 48) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  if (days <= 31) return `${days} days ago`;
  return then.toISOString().slice(0, 10);
}

/** `semantic_model` → `semantic model`. */
export function typeLabel(resourceType: string): string {
  return resourceType.replace(/_/g, ' ');
}

/** A count of a resource type in words: `1 model`, `2 saved queries`, `3 analyses`. */
export function typeCount(count: number, resourceType: string): string {
  const one = typeLabel(resourceType);
  if (count === 1) return `1 ${one}`;
  const many = one.endsWith('analysis')
    ? `${one.slice(0, -2)}es`
    : /[^aeiou]y$/.test(one)
      ? `${one.slice(0, -1)}ies`
      : `${one}s`;
  return `${count} ${many}`;
}
