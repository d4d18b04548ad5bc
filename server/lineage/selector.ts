import { walk, type ProjectGraph } from './graph.ts';

/** How a selector picks its starting nodes: `tag:nightly` is method `tag`, value `nightly`; `orders` is `name`. */
export const selectorMethods = ['name', 'tag', 'source', 'resource_type', 'package', 'exposure', 'metric'] as const;
export type SelectorMethod = (typeof selectorMethods)[number];

/** One selector criterion, like `2+tag:finance+1` or `@orders`. */
export interface SelectorAtom {
  text: string;
  method: SelectorMethod;
  value: string;
  /** Levels of ancestors to add: 0 for none, Infinity for a bare leading `+`. */
  parents: number;
  /** Levels of descendants to add. */
  children: number;
  /** `@x`: x, its descendants and every ancestor of those. */
  at: boolean;
}

/** A whole selector string: space-separated terms are unioned; comma-separated atoms inside a term intersect. */
export type Selector = SelectorAtom[][];

export type ParsedSelector = { ok: true; selector: Selector } | { ok: false; problems: string[] };

const atomPattern = /^(@)?(?:(\d*)\+)?([^+@]+?)(?:\+(\d*))?$/;
const valuePattern = /^[A-Za-z0-9_.*\-/]+$/;
const methodAliases: Record<string, SelectorMethod> = { resource: 'resource_type', fqn: 'name' };

function levels(digits: string | undefined, present: boolean): number {
  if (!present) return 0;
  return digits ? Number(digits) : Infinity;
}

/** Parses one atom like `2+orders+1`; returns the atom or a sentence naming what is wrong. */
export function parseAtom(text: string): SelectorAtom | string {
  const match = atomPattern.exec(text);
  if (!match) {
    return `Selector "${text}" is not valid: write a node name or method:value with optional graph operators, like +orders, orders+, 2+orders+1, @orders or tag:nightly`;
  }
  const [, at, upDigits, core = '', downDigits] = match;
  const hasUp = upDigits !== undefined;
  const hasDown = downDigits !== undefined;
  if (at && (hasUp || hasDown)) return `Selector "${text}" is not valid: @ cannot be combined with + operators`;
  const colon = core.indexOf(':');
  const rawMethod = colon >= 0 ? core.slice(0, colon) : 'name';
  const value = colon >= 0 ? core.slice(colon + 1) : core;
  const method = methodAliases[rawMethod] ?? rawMethod;
  if (!(selectorMethods as readonly string[]).includes(method)) {
    const known = selectorMethods.filter((m) => m !== 'name').map((m) => `${m}:`);
    return `Selector "${text}" is not valid: unknown method "${rawMethod}"; use a node name or one of ${known.join(', ')}`;
  }
  if (!value) return `Selector "${text}" is not valid: "${rawMethod}:" needs a value`;
  if (!valuePattern.test(value)) {
    return `Selector "${text}" is not valid: "${value}" may only hold letters, digits, _ . - / and * wildcards`;
  }
  return {
    text,
    method: method as SelectorMethod,
    value,
    parents: levels(upDigits, hasUp),
    children: levels(downDigits, hasDown),
    at: Boolean(at),
  };
}

/**
 * Parses dbt-style selectors: `+orders`, `orders+`, `2+orders+1`, `@orders`, `tag:x`, `source:raw`,
 * `resource_type:model`, `package:p`, `exposure:e`, `metric:m`, `*` wildcards in values. Spaces separate terms
 * (union), commas join atoms of one term (intersection). Returns every problem, each naming its selector.
 */
export function parseSelector(text: string): ParsedSelector {
  const terms = text.trim().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return { ok: false, problems: ['The selector is empty: write a node name, like orders'] };
  const problems: string[] = [];
  const selector: Selector = [];
  for (const term of terms) {
    const atoms: SelectorAtom[] = [];
    for (const part of term.split(',')) {
      if (!part) {
        problems.push(`Selector "${term}" is not valid: a comma must join two selectors, like tag:a,tag:b`);
        continue;
      }
      const atom = parseAtom(part);
      if (typeof atom === 'string') problems.push(atom);
      else atoms.push(atom);
    }
    selector.push(atoms);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, selector };
}

function globMatcher(value: string): (candidate: string) => boolean {
  if (!value.includes('*')) return (candidate) => candidate === value;
  const pattern = new RegExp(`^${value.split('*').map(escapeRegExp).join('.*')}$`);
  return (candidate) => pattern.test(candidate);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The ids an atom's method and value pick, before graph operators. */
function seeds(graph: ProjectGraph, atom: SelectorAtom): string[] {
  const matches = globMatcher(atom.value);
  const picked: string[] = [];
  for (const node of graph.nodes.values()) {
    let hit: boolean;
    switch (atom.method) {
      case 'name':
        hit = matches(node.name) || matches(node.id);
        break;
      case 'tag':
        hit = node.tags.some(matches);
        break;
      case 'resource_type':
        hit = matches(node.resourceType);
        break;
      case 'package':
        hit = matches(node.package);
        break;
      case 'source': {
        // source.<package>.<source name>.<table>: `source:raw` or `source:raw.orders`.
        const [, , sourceName = '', ...table] = node.id.split('.');
        hit = node.resourceType === 'source' && (matches(sourceName) || matches(`${sourceName}.${table.join('.')}`));
        break;
      }
      case 'exposure':
      case 'metric':
        hit = node.resourceType === atom.method && matches(node.name);
        break;
    }
    if (hit) picked.push(node.id);
  }
  return picked;
}

function mergeMin(into: Map<string, number>, from: ReadonlyMap<string, number>): void {
  for (const [id, rank] of from) into.set(id, Math.min(rank, into.get(id) ?? Infinity));
}

/** The nodes one atom selects, each with its distance from the nodes the atom named. */
export function selectAtom(graph: ProjectGraph, atom: SelectorAtom): Map<string, number> {
  const start = seeds(graph, atom);
  if (atom.at) {
    const down = walk(start, graph.children, Infinity);
    const result = new Map(down);
    mergeMin(result, walk(down.keys(), graph.parents, Infinity));
    return result;
  }
  const result = walk(start, graph.parents, atom.parents);
  mergeMin(result, walk(start, graph.children, atom.children));
  return result;
}

/** Evaluates a parsed selector: union of terms, intersection of a term's atoms. Ranks are distances, nearest wins. */
export function evaluateSelector(graph: ProjectGraph, selector: Selector): Map<string, number> {
  const result = new Map<string, number>();
  for (const term of selector) {
    const [first, ...rest] = term.map((atom) => selectAtom(graph, atom));
    if (!first) continue;
    const both = new Map([...first].filter(([id]) => rest.every((other) => other.has(id))));
    for (const [id, rank] of both) {
      const worst = Math.max(rank, ...rest.map((other) => other.get(id) ?? 0));
      result.set(id, Math.min(worst, result.get(id) ?? Infinity));
    }
  }
  return result;
}
