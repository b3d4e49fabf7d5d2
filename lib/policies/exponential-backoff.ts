/**
 * The default polling policy: capped, jittered exponential backoff that starts fast.
 *
 * Pure: the delay is a function of the {@link PollState} alone. Jitter comes from a hash of the
 * state (start time, attempt, job id and a seed), so two jobs started at different moments drift
 * apart while a test with a fixed state always gets the same delay; pass `random` to use another
 * source (it then is as pure as the function you pass).
 */
import type { PollingPolicy, PollState } from '../polling-policy.js';
import { hashUnit } from './hash-unit.js';

export interface ExponentialBackoffOptions {
  /** Delay after the first poll, in ms. Default 250: short jobs finish without a long first wait. */
  readonly initialDelayMs?: number;
  /** Growth factor between polls. Default 2. */
  readonly factor?: number;
  /** Cap of the delay between successful polls, in ms. Default 5000 (the Python client's cadence). */
  readonly maxDelayMs?: number;
  /** Delay after the first failed poll, in ms. Default 1000. */
  readonly failureDelayMs?: number;
  /** Growth factor between consecutive failures. Default 3 (1 s, 3 s, 9 s, 27 s, as the Python client). */
  readonly failureFactor?: number;
  /** Cap of the delay after failures, in ms. Default 30000. */
  readonly maxFailureDelayMs?: number;
  /**
   * Relative jitter: the delay is spread uniformly over `[d * (1 - jitter), d * (1 + jitter)]`, then
   * capped. 0 disables it. Default 0.2.
   */
  readonly jitter?: number;
  /** Seed of the default, state-derived jitter. Default 0. */
  readonly seed?: number;
  /** Replaces the state-derived jitter: returns a number in [0, 1). */
  readonly random?: (state: PollState) => number;
  /**
   * Upper bound on a server's `Retry-After`, in ms, so a bogus header cannot park a stream for
   * hours. Default 300000 (5 min).
   */
  readonly maxRetryAfterMs?: number;
}

/**
 * The jitter source used by default: a hash of the seed, start time, attempt, failures and job id
 * (`state.jobId`, else the first snapshot's), in [0, 1).
 */
export function stateRandom(state: PollState, seed = 0): number {
  // The state's own jobId first: before any snapshot (a job failing from its first poll) it is the
  // only thing telling apart jobs started in the same millisecond.
  const jobId = state.jobId ?? state.snapshots[0]?.jobId ?? '';
  return hashUnit(`${seed}:${state.startedAt}:${state.attempt}:${state.failures}:${jobId}`);
}

function positive(name: string, v: number, allowZero = false): number {
  if (!Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) {
    throw new RangeError(`exponentialBackoff: ${name} must be a ${allowZero ? 'non-negative' : 'positive'} finite number`);
  }
  return v;
}

/**
 * Builds a capped, jittered exponential backoff policy.
 *
 * After the n-th successful poll it waits `initialDelayMs * factor^(n-1)`, capped at `maxDelayMs`;
 * after the k-th consecutive failure `failureDelayMs * failureFactor^(k-1)`, capped at
 * `maxFailureDelayMs`; either way jittered, and never less than the server's `Retry-After`.
 *
 * @example
 * ```ts
 * import { exponentialBackoff } from 'nucleus-rx';
 * const patient = exponentialBackoff({ initialDelayMs: 1000, maxDelayMs: 30_000 });
 * client.getJob(id, { policy: patient }).subscribe(render);
 * ```
 */
export function exponentialBackoff(options: ExponentialBackoffOptions = {}): PollingPolicy {
  const initial = positive('initialDelayMs', options.initialDelayMs ?? 250, true);
  const factor = positive('factor', options.factor ?? 2);
  const max = positive('maxDelayMs', options.maxDelayMs ?? 5000, true);
  const failureInitial = positive('failureDelayMs', options.failureDelayMs ?? 1000, true);
  const failureFactor = positive('failureFactor', options.failureFactor ?? 3);
  const failureMax = positive('maxFailureDelayMs', options.maxFailureDelayMs ?? 30_000, true);
  const jitter = positive('jitter', options.jitter ?? 0.2, true);
  if (jitter > 1) throw new RangeError('exponentialBackoff: jitter must be at most 1');
  const maxRetryAfter = positive('maxRetryAfterMs', options.maxRetryAfterMs ?? 300_000, true);
  const seed = options.seed ?? 0;
  const random = options.random ?? ((s: PollState) => stateRandom(s, seed));

  return (state: PollState): number => {
    const failing = state.failures > 0;
    const [base, growth, cap, n] = failing
      ? [failureInitial, failureFactor, failureMax, state.failures]
      : [initial, factor, max, Math.max(1, state.attempt)];
    // Exponent capped so the power never overflows to Infinity for very long-lived jobs.
    const nominal = Math.min(cap, base * Math.pow(growth, Math.min(n - 1, 64)));
    const r = jitter === 0 ? 0.5 : Math.min(Math.max(random(state), 0), 1);
    const jittered = Math.min(cap, nominal * (1 - jitter + 2 * jitter * r));
    const retryAfter = state.retryAfterMs === undefined ? 0 : Math.min(state.retryAfterMs, maxRetryAfter);
    return Math.round(Math.max(jittered, retryAfter));
  };
}

/** `exponentialBackoff()` with its defaults: what live `errors$` polls on unless told otherwise. */
export const exponentialBackoffPolicy: PollingPolicy = exponentialBackoff();
