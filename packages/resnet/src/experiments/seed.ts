/**
 * Seeds derived from a row's configuration: every row of a sweep draws its random numbers from a
 * generator seeded by a hash of its own config, never by the worker or the order it runs in. That
 * is why a sweep gives the same rows serially, on a worker pool, in shards, or resumed.
 */

/** Canonical JSON: object keys sorted at every level, so equal configs give equal strings. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
      );
    }
    return v;
  });
}

/** 32-bit FNV-1a hash of a string. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A seed for createRng from any JSON-able config (typically including the user's --seed). */
export function seedFrom(config: unknown): number {
  const text = canonicalJson(config);
  // Two independent 32-bit hashes (the second of the reversed text) make a 53-bit seed.
  const hi = fnv1a(text) & 0x1fffff;
  const lo = fnv1a([...text].reverse().join(''));
  return hi * 2 ** 32 + lo;
}
