/**
 * The library's exponential backoff as shipped: `exponentialBackoff()` with its defaults
 * (250 ms, x2 per poll, capped at 5 s, +-20 % jitter drawn from a hash of the state). It was the
 * default status policy before `progressAware()`, and still paces live `errors$`.
 */
import { exponentialBackoffPolicy } from '../../lib/policies/exponential-backoff.js';
import type { PollingPolicy } from '../../lib/polling-policy.js';

export function libraryDefault(): PollingPolicy {
  return exponentialBackoffPolicy;
}
