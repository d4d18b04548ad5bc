/**
 * What this process knows of its own folders, per data folder, shared by the installer, the package sync and the
 * installations list:
 * - the plugins whose folders an operation is changing now, so a sync never swaps a folder an install, update or
 *   rollback is moving;
 * - the plugins whose recorded package this replica could not put in place at its last sync, with why: it serves
 *   its last good folder meanwhile, and the installations list says so.
 */
const busyByRoot = new Map<string, Set<string>>();
const problemsByRoot = new Map<string, Map<string, string>>();

export function busyPlugins(root: string): Set<string> {
  let busy = busyByRoot.get(root);
  if (!busy) busyByRoot.set(root, (busy = new Set()));
  return busy;
}

export function packageProblems(root: string): Map<string, string> {
  let problems = problemsByRoot.get(root);
  if (!problems) problemsByRoot.set(root, (problems = new Map()));
  return problems;
}
