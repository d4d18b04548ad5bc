// The commands of the authoring guide that CI runs word for word: fenced blocks whose info string is
// `sh guide-test`, in the order they appear.

/** The bodies of the fenced `sh guide-test` blocks of a markdown text. Pure. */
export function guideBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  const fence = /^```sh guide-test[ \t]*\n([\s\S]*?)^```[ \t]*$/gm;
  for (const match of markdown.matchAll(fence)) blocks.push(match[1]!.replace(/\n$/, ''));
  return blocks;
}

/** One bash script of the blocks: stops at the first failing command, echoing each as it runs. */
export function guideScript(blocks: readonly string[]): string {
  return ['set -euo pipefail', 'set -x', ...blocks].join('\n') + '\n';
}
