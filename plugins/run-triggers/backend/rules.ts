// Pure rules of the run-triggers plugin.

export interface Settings {
  after: string;
  branch: string;
  staleSeed: string;
  staleColumn: string;
  maxAgeDays: number;
  checkEverySeconds: number;
}

/** A deploy webhook runs for a body whose `ref` is the branch, as `main` or `refs/heads/main`. */
export function deployDecision(body: unknown, branch: string): { run: boolean; reason: string } {
  const ref = body && typeof body === 'object' ? (body as { ref?: unknown }).ref : undefined;
  if (typeof ref !== 'string') return { run: false, reason: 'the webhook body has no "ref"' };
  const name = ref.replace(/^refs\/heads\//, '');
  return name === branch
    ? { run: true, reason: `deploy of ${branch}` }
    : { run: false, reason: `${name} is not the deploy branch ${branch}` };
}

/** A seed is stale when its newest value is older than `maxAgeDays` (or it has none). */
export function staleDecision(seed: string, newest: string | null, maxAgeDays: number, now: Date) {
  if (newest === null) return { run: true, reason: `${seed} has no rows` };
  const ageDays = (now.getTime() - new Date(newest).getTime()) / 86_400_000;
  if (!Number.isFinite(ageDays)) return { run: false, reason: `${seed}'s newest value "${newest}" is not a date` };
  return ageDays > maxAgeDays
    ? { run: true, reason: `${seed} is ${Math.floor(ageDays)} days old` }
    : { run: false, reason: `${seed} is fresh` };
}
