/**
 * safeDelay: a delay made safe to hand to a timer. `setTimeout` (browsers and Node) fires a delay
 * above 2^31-1 ms (about 24.8 days) at once instead of never; every timer of the library goes
 * through this.
 */

/** setTimeout's largest delay, in ms. */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * NaN and negatives become 0, huge values (Infinity included) the timer maximum.
 *
 * @example
 * ```ts
 * safeDelay(-5); // 0
 * safeDelay(3e9); // 2147483647
 * ```
 */
export function safeDelay(ms: number): number {
  if (Number.isNaN(ms) || ms <= 0) return 0;
  return Math.min(ms, MAX_TIMER_MS);
}
