/**
 * Stand-in for the library's default policy until the \`jobs\` branch lands in main: a faithful copy
 * of its \`exponentialBackoff()\` defaults (250 ms, x2 per poll, capped at 5 s, +-20 % jitter); then
 * this file re-exports the real one.
 */
import type { PollingPolicy } from '../../lib/polling-policy.js';
import type { Rng } from './rng.js';

export function backoffCopy(rng: Rng, initialMs = 250, factor = 2, capMs = 5_000, jitter = 0.2): PollingPolicy {
  return (s) => {
    const nominal = Math.min(capMs, initialMs * factor ** Math.min(s.attempt - 1, 64));
    const jittered = Math.min(capMs, nominal * (1 - jitter + 2 * jitter * rng()));
    return Math.round(Math.max(jittered, s.retryAfterMs ?? 0));
  };
}
