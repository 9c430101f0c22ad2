/**
 * A bounded memo: `cache`'s value for `key`, computed by `compute` and kept the first
 * time it is asked for. Past `capacity` entries the oldest go first, so the caches a
 * long-running bot fills (stems, word meanings, corrections…) cannot grow without bound.
 */
export function remember<K, V>(cache: Map<K, V>, key: K, capacity: number, compute: () => V): V {
  const known = cache.get(key);
  if (known !== undefined) return known;
  const value = compute();
  if (cache.size >= capacity) forgetOldest(cache, Math.max(1, Math.ceil(capacity * EVICTED_SHARE)));
  cache.set(key, value);
  return value;
}

/**
 * Share of a full cache dropped at once. A Map keeps deleted entries as holes until it
 * is rehashed, and finding its first key walks past them, so dropping one entry per
 * insert cost a walk over up to the whole capacity each time (12 µs an insert at 20,000
 * entries, most of a question's time at 100,000 passages); dropping a sixteenth at once
 * makes that walk once per capacity/16 inserts.
 */
const EVICTED_SHARE = 1 / 16;

function forgetOldest<K, V>(cache: Map<K, V>, count: number): void {
  let left = count;
  for (const key of cache.keys()) {
    cache.delete(key);
    if (--left === 0) break;
  }
}
