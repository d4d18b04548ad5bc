/** The performance mark each contribution leaves when it first shows, at either UI level (benchmarks wait for them). */
export const CONTRIBUTION_RENDERED = 'wb:contribution-rendered';

export function markContributionRendered(plugin: string, contribution: string): void {
  performance.mark(CONTRIBUTION_RENDERED, { detail: { plugin, contribution } });
}
