/** What the palette matches a typed query against. */
export interface MatchableTool {
  id: string;
  title: string;
  description: string;
  pluginTitle: string;
}

/** How well a tool matches one word: lower is better, undefined is no match. */
function wordScore(tool: MatchableTool, word: string): number | undefined {
  const title = tool.title.toLowerCase();
  if (title.startsWith(word)) return 0;
  if (title.split(/[^a-z0-9]+/).some((w) => w.startsWith(word))) return 1;
  if (title.includes(word) || tool.id.toLowerCase().includes(word)) return 2;
  if (tool.description.toLowerCase().includes(word) || tool.pluginTitle.toLowerCase().includes(word)) return 3;
  return undefined;
}

/**
 * The tools matching every word of `query`, best first (title starts, then title words, then names, then
 * descriptions and plugins), ties by title; an empty query lists them all as given. Pure.
 */
export function matchTools<T extends MatchableTool>(tools: readonly T[], query: string): T[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...tools];
  const scored: { tool: T; score: number }[] = [];
  for (const tool of tools) {
    let score = 0;
    for (const word of words) {
      const s = wordScore(tool, word);
      if (s === undefined) {
        score = -1;
        break;
      }
      score += s;
    }
    if (score >= 0) scored.push({ tool, score });
  }
  return scored.sort((a, b) => a.score - b.score || a.tool.title.localeCompare(b.tool.title)).map((s) => s.tool);
}
