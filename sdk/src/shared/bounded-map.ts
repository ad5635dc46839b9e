/**
 * Sets `key` to `value`, first forgetting the oldest entry (maps iterate in
 * insertion order) when `key` is new and the map already holds `capacity`
 * entries: how the SDK bounds per-id bookkeeping for a host that never
 * finishes, disposes or repeats what it started.
 */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, capacity: number): void {
  if (map.size >= capacity && !map.has(key)) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
  map.set(key, value);
}
