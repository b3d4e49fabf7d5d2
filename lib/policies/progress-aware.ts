/**
 * A polling policy that reads the job's progress: it estimates when the job will end (estimateEta)
 * and polls shortly before that, closing in as the estimate firms up; a job with only a few steps
 * follows a schedule of its own (few-steps.ts); while a job reports nothing (opaque, queued) the
 * delay grows with the time waited, up to a short cap. Pure: the delay depends on the PollState
 * only. Tuned on the virtual-time benchmark (bench/policy, docs/performance.md).
 */
import { estimateEta } from '../eta.js';
import type { JobSnapshot } from '../job-snapshot.js';
import type { PollState, PollingPolicy } from '../polling-policy.js';
import { fewStepsSchedule } from './few-steps.js';
import { hashUnit } from './hash-unit.js';

export interface ProgressAwareOptions {
  /** Longest delay ever chosen by the policy itself, ms (default 600,000: 10 min). */
  readonly maxDelayMs?: number;
  /** Longest delay while the job reports no progress (opaque or queued), ms (default 30,000). */
  readonly blindMaxDelayMs?: number;
  /** Shortest delay, ms (default 1,000; at least 10). */
  readonly minDelayMs?: number;
  /** Spacing of the polls once the job is due, ms: roughly the latency accepted (default 1,000). */
  readonly approachMs?: number;
  /** How many spreads before the estimated end the window of likely end times starts (default 1.75). */
  readonly safety?: number;
  /** Relative spread assumed for the length of one step (default 0.3). */
  readonly stepSpread?: number;
  /** Blind phase: the next delay is this times the time waited so far (default 2). */
  readonly blindGrowth?: number;
  /**
   * Running but no step done yet: the next delay is this times the time spent running (default 2;
   * 1.5 on the few-steps schedule, where one delay could jump over a step and the end; a value set
   * here applies to both).
   */
  readonly stuckGrowth?: number;
  /**
   * Jobs reporting at most this many steps, watched from their first step, follow the few-steps
   * schedule (default 3; 0 turns it off): they bracket each step's end, and poll the last step where
   * its end is likely.
   */
  readonly fewSteps?: number;
  /** Few-steps schedule: spacing of the polls that bracket a step's end, as a fraction of the time running (default 0.3). */
  readonly bracket?: number;
  /**
   * Few-steps schedule: during the last step, polls are dense (one per standard deviation of its end,
   * at most `paceMaxMs` apart) only where each has at least this chance of being the one that sees
   * the end (default 0.01), so the dense polls of a long job, whose end is vague, start later.
   */
  readonly hitChance?: number;
  /**
   * Few-steps schedule: the longest delay before and past those dense polls, ms (default 120,000),
   * and at most a tenth of the time the job has been watched: a job ending outside the window of
   * likely end times is seen that late at worst.
   */
  readonly sparseMaxMs?: number;
  /** Each delay covers at least this fraction of the time left to (or past) the estimated end (default 0.25). */
  readonly closing?: number;
  /** Upper bound of the pace inside the window of likely end times, ms (default 10,000). */
  readonly paceMaxMs?: number;
  /** The pace inside that window is the spread of the estimate over this (default 2). */
  readonly pacePolls?: number;
  /** How many spreads past the estimate the window extends (default 1.5). */
  readonly tail?: number;
  /**
   * Upper bound on a server's `Retry-After`, ms, so a bogus header cannot park a stream for hours
   * (default 300,000: 5 min, as `exponentialBackoff`).
   */
  readonly maxRetryAfterMs?: number;
  /**
   * Relative jitter of the delays while nothing is reported and of the backoff after failures
   * (default 0.1), so jobs started together do not poll in lockstep; drawn from a hash of the job id,
   * start and attempt, so the policy stays pure.
   */
  readonly jitter?: number;
}

/** A running snapshot that reports steps or progress. */
const reportsProgress = (s: JobSnapshot): boolean =>
  s.phase === 'pending' && s.status !== 'Queued' && (s.progress !== undefined || (s.totalSteps !== undefined && s.completedSteps !== undefined));

const finiteOr = (x: number | undefined, d: number): number => (x !== undefined && Number.isFinite(x) && x >= 0 ? x : d);

/**
 * Creates a progress-aware polling policy.
 *
 * ## Example
 * ```ts
 * import { NucleusClient, progressAware } from 'nucleus-rx';
 * // every job of this client is polled by it; pass options to trade requests for latency
 * const client = new NucleusClient({ apiKey, polling: { policy: progressAware({ paceMaxMs: 5_000 }) } });
 * ```
 */
export function progressAware(options: ProgressAwareOptions = {}): PollingPolicy {
  const cap = Math.max(10, finiteOr(options.maxDelayMs, 600_000));
  // A floor of 10 ms keeps a misconfigured policy from spinning.
  const min = Math.max(10, Math.min(finiteOr(options.minDelayMs, 1_000), cap));
  const blindCap = Math.max(min, Math.min(finiteOr(options.blindMaxDelayMs, 30_000), cap));
  const approach = Math.max(min, Math.min(finiteOr(options.approachMs, 1_000), cap));
  const safety = finiteOr(options.safety, 1.75);
  const stepSpread = finiteOr(options.stepSpread, 0.3);
  const blindGrowth = finiteOr(options.blindGrowth, 2);
  const stuckGrowth = finiteOr(options.stuckGrowth, 2);
  const closing = Math.min(1, finiteOr(options.closing, 0.25));
  const paceMax = finiteOr(options.paceMaxMs, 10_000);
  const pacePolls = Math.max(1, finiteOr(options.pacePolls, 2));
  const tail = finiteOr(options.tail, 1.5);
  const maxRetryAfter = finiteOr(options.maxRetryAfterMs, 300_000);
  const jitter = Math.min(1, finiteOr(options.jitter, 0.1));
  const few = fewStepsSchedule(options.fewSteps === undefined || Number.isNaN(options.fewSteps) ? 3 : options.fewSteps, {
    min,
    approach,
    paceMax: Math.max(approach, paceMax),
    stepSpread: Math.max(1e-3, stepSpread),
    safety,
    stuckGrowth: finiteOr(options.stuckGrowth, 1.5),
    bracket: Math.max(1e-3, finiteOr(options.bracket, 0.3)),
    hitChance: Math.min(1, Math.max(1e-9, finiteOr(options.hitChance, 0.01))),
    sparseMax: finiteOr(options.sparseMaxMs, 120_000),
  });

  const own = (s: PollState): number => {
    const fewDelay = few(s);
    if (fewDelay !== undefined) return fewDelay;
    const now = s.now;
    const eta = estimateEta(s.snapshots, { now, stepSpread });
    if (eta === undefined) {
      const last = s.snapshots[s.snapshots.length - 1];
      const running = s.snapshots.find(reportsProgress);
      if (running !== undefined && last !== undefined && reportsProgress(last)) {
        // Running but no step done yet: the job is at least as long as its first step has already
        // taken, so the delay grows with the time spent running, past the blind cap.
        return Math.max(min, stuckGrowth * (now - running.observedAt));
      }
      // Nothing to extrapolate from (opaque or queued): grow with the time waited, up to blindCap.
      const spreadOut = 1 - jitter + 2 * jitter * hashUnit(`${s.jobId ?? last?.jobId ?? ''}:${s.startedAt}:${s.attempt}`);
      return Math.min(blindCap, Math.max(min, blindGrowth * (now - s.startedAt))) * spreadOut;
    }
    const remaining = eta.at - now;
    // The spread of the end time around the estimate, and the pace of the polls inside the window
    // where the end most likely falls: the latency accepted, wider when the estimate is vague so a
    // vague estimate does not cost a flood of polls.
    const spread = eta.uncertainty * (eta.at - eta.from);
    const pace = Math.max(approach, Math.min(paceMax, spread / pacePolls));
    // Before the window: aim at its start, covering at most `closing` of the time left, so the
    // estimate is refined on the way.
    if (remaining > safety * spread) return Math.max(pace, remaining - safety * spread, closing * remaining);
    // Steps still to come bring news before the end: keep closing in geometrically.
    if (eta.stepsLeft !== undefined && eta.stepsLeft > 1 && remaining > 0) return Math.max(approach, closing * remaining);
    if (remaining > -tail * spread) return pace;
    // Far overdue: the estimate was wrong; slow down gently the later the job runs.
    return Math.max(pace, closing * -remaining);
  };

  return (s) => {
    let d = own(s);
    if (s.failures > 0) {
      // Jittered too (job id, start, failure count), so jobs that fail together do not retry in lockstep.
      const spreadOut = 1 - jitter + 2 * jitter * hashUnit(`${s.jobId ?? s.snapshots[0]?.jobId ?? ''}:${s.startedAt}:${s.attempt}:${s.failures}:failed`);
      d = Math.max(d, min * 2 ** Math.min(s.failures, 16) * spreadOut);
    }
    d = Math.min(cap, Math.max(min, d));
    if (!Number.isFinite(d)) d = cap;
    // The server's Retry-After wins, over the cap too (it is the server's explicit demand), up to
    // maxRetryAfterMs.
    const retryAfter = s.retryAfterMs === undefined || Number.isNaN(s.retryAfterMs) ? 0 : Math.min(s.retryAfterMs, maxRetryAfter);
    if (retryAfter > d) d = retryAfter;
    return d;
  };
}

/** The progress-aware policy with its default options. */
export const progressAwarePolicy: PollingPolicy = progressAware();
