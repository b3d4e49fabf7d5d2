/**
 * `Retry-After` parsing: either delay-seconds (`120`) or an HTTP date
 * (`Wed, 21 Oct 2026 07:28:00 GMT`), relative to a clock (the scheduler's `now()`).
 */

/**
 * The wait a `Retry-After` value asks for, in milliseconds, or `undefined` when absent or
 * unparseable. A date in the past gives 0.
 *
 * @example
 * ```ts
 * parseRetryAfter('2', 0); // 2000
 * parseRetryAfter('Thu, 01 Jan 1970 00:00:05 GMT', 1000); // 4000
 * ```
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) {
    const ms = Math.round(Number(v) * 1000);
    return Number.isFinite(ms) ? ms : undefined;
  }
  // Only accept something that looks like an HTTP date (has a letter), not e.g. "-5" or "1e3".
  if (!/[a-z]/i.test(v)) return undefined;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
