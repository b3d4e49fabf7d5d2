/**
 * A string hashed to a number in [0, 1): the jitter source of the built-in policies, which stay
 * pure (the same state always gives the same delay) yet spread jobs started together.
 */

/**
 * FNV-1a over the string, with a final avalanche (murmur3 fmix32) so that keys differing in one
 * character (consecutive attempts) do not give correlated values.
 *
 * @example
 * ```ts
 * hashUnit('job_1:0:3'); // the same number in [0, 1) on every call
 * ```
 */
export function hashUnit(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 0x100000000;
}
