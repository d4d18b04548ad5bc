/** How many user ids plugin backends may use, from the base up. */
export const UID_RANGE = 3000;

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * A user id of its own for each plugin backend, stable across restarts (from its name), so no plugin can signal
 * or read another's processes or data. `assigned` holds the ids given so far; a clash moves to the next free id.
 */
export function assignUid(plugin: string, base: number, assigned: Map<string, number>): number {
  const known = assigned.get(plugin);
  if (known !== undefined) return known;
  const taken = new Set(assigned.values());
  let offset = fnv1a(plugin) % UID_RANGE;
  while (taken.has(base + offset)) offset = (offset + 1) % UID_RANGE;
  assigned.set(plugin, base + offset);
  return base + offset;
}
