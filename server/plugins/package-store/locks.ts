/**
 * The plugins whose folders an operation of this process is changing, per data folder: the installer and the
 * package sync share it, so a sync never swaps a folder an install, update or rollback is moving.
 */
const busyByRoot = new Map<string, Set<string>>();

export function busyPlugins(root: string): Set<string> {
  let busy = busyByRoot.get(root);
  if (!busy) busyByRoot.set(root, (busy = new Set()));
  return busy;
}
