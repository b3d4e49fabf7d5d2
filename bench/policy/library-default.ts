/**
 * Stand-in for the library's default policy (capped, jittered exponential backoff that starts
 * fast) until the `jobs` branch lands in main; then this file re-exports the real one.
 */
import type { PollingPolicy } from '../../lib/polling-policy.js';
import type { Rng } from './rng.js';

export function backoffCopy(rng: Rng, initialMs = 1_000, factor = 1.5, capMs = 30_000, jitter = 0.2): PollingPolicy {
  return (s) => {
    if (s.retryAfterMs !== undefined) return Math.min(capMs, Math.max(0, s.retryAfterMs));
    const base = Math.min(capMs, initialMs * factor ** (s.attempt - 1));
    return Math.min(capMs, base * (1 - jitter + 2 * jitter * rng()));
  };
}
