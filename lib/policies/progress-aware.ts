/**
 * A polling policy that reads the job's progress: it estimates when the job will end and polls
 * just before that, closing in as the estimate firms up; jobs that report nothing (opaque, queued)
 * get a doubling backoff with a short cap.
 */
import { estimateEta } from '../eta.js';
import type { PollState, PollingPolicy } from '../polling-policy.js';

export interface ProgressAwareOptions {
  /** Longest delay ever chosen by the policy itself, ms (default 600,000: 10 min). */
  readonly maxDelayMs?: number;
  /** Longest delay while the job reports no progress (opaque or queued), ms (default 30,000). */
  readonly blindMaxDelayMs?: number;
  /** Shortest delay, ms (default 1,000). */
  readonly minDelayMs?: number;
  /** Spacing of the polls once the job is due, ms: roughly the latency accepted (default 1,000). */
  readonly approachMs?: number;
  /** How many uncertainties before the estimated end the next poll aims at (default 2). */
  readonly safety?: number;
  /** Relative spread assumed for the length of one step (default 0.3). */
  readonly stepSpread?: number;
}

const finiteOr = (x: number | undefined, d: number): number => (x !== undefined && Number.isFinite(x) && x >= 0 ? x : d);

/**
 * Creates a progress-aware polling policy.
 *
 * ## Example
 * ```ts
 * import { progressAware } from 'nucleus-rx';
 * const job = client.getJob(id, { policy: progressAware({ maxDelayMs: 120_000 }) });
 * ```
 */
export function progressAware(options: ProgressAwareOptions = {}): PollingPolicy {
  const cap = finiteOr(options.maxDelayMs, 600_000);
  const min = Math.min(finiteOr(options.minDelayMs, 1_000), cap);
  const blindCap = Math.max(min, Math.min(finiteOr(options.blindMaxDelayMs, 30_000), cap));
  const approach = Math.max(min, Math.min(finiteOr(options.approachMs, 1_000), cap));
  const safety = finiteOr(options.safety, 2);
  const stepSpread = finiteOr(options.stepSpread, 0.3);

  const own = (s: PollState): number => {
    const now = s.now;
    const eta = estimateEta(s.snapshots, { now, stepSpread });
    if (eta === undefined) {
      // Nothing to extrapolate from: double the time waited since the last change, up to blindCap.
      const last = s.snapshots[s.snapshots.length - 1];
      const since = now - (last === undefined ? s.startedAt : Math.max(s.startedAt, last.observedAt));
      const waited = Math.max(now - s.startedAt, since);
      return Math.min(blindCap, Math.max(min, waited));
    }
    const remaining = eta.at - now;
    if (remaining <= 0) {
      // Overdue: poll at the approach pace, slowing down gently the later the job runs.
      return Math.max(approach, 0.25 * -remaining);
    }
    const span = eta.at - eta.from;
    const early = remaining - safety * eta.uncertainty * span;
    return Math.max(approach, early, 0.25 * remaining);
  };

  return (s) => {
    let d = own(s);
    if (s.failures > 0) d = Math.max(d, min * 2 ** Math.min(s.failures, 16));
    d = Math.min(cap, Math.max(min, d));
    if (!Number.isFinite(d)) d = cap;
    const retryAfter = s.retryAfterMs;
    // The server's Retry-After wins, over the cap too: it is the server's explicit demand.
    if (retryAfter !== undefined && Number.isFinite(retryAfter) && retryAfter > d) d = retryAfter;
    return d;
  };
}

/** The progress-aware policy with its default options. */
export const progressAwarePolicy: PollingPolicy = progressAware();
