/**
 * A bounded memo: `cache`'s value for `key`, computed by `compute` and kept the first
 * time it is asked for. Past `capacity` entries the oldest goes first, so the caches a
 * long-running bot fills (stems, word meanings, corrections…) cannot grow without bound.
 */
export function remember<K, V>(cache: Map<K, V>, key: K, capacity: number, compute: () => V): V {
  const known = cache.get(key);
  if (known !== undefined) return known;
  const value = compute();
  if (cache.size >= capacity) cache.delete(cache.keys().next().value as K);
  cache.set(key, value);
  return value;
}
