/**
 * The polling policy: a pure function from what has been observed of a job to the delay before the
 * next poll. The poll loop (AsyncJob) knows nothing of timing beyond calling it; swap it per client
 * or per job with the `policy` option.
 */
import type { JobSnapshot } from './job-snapshot.js';

/** Everything a policy may base its decision on. Times are milliseconds on the polling scheduler's clock. */
export interface PollState {
  /**
   * The job polled, when the loop knows it (an AsyncJob's loop always does). Policies hash it into
   * their jitter, so jobs started in the same millisecond spread apart even before any snapshot.
   */
  readonly jobId?: string | undefined;
  /** Polls answered or failed so far for this subscription (1 after the first poll). */
  readonly attempt: number;
  /** Consecutive failed polls (transient errors) ending with the last one; 0 after a success. */
  readonly failures: number;
  /** When polling started (the first poll was sent). */
  readonly startedAt: number;
  /** Now. */
  readonly now: number;
  /**
   * Distinct snapshots observed, oldest first, each with its `observedAt`. Bounded: the first one and
   * 8 more, the most recent ones, except that changes within a step (message, progress) go before
   * the snapshots on both sides of a step's end.
   */
  readonly snapshots: readonly JobSnapshot[];
  /**
   * When the answer before the latest change arrived: the job took on the state of the last entry
   * of `snapshots` (new steps, progress, status or message) after about this instant and at or
   * before that snapshot's `observedAt`. Both are arrival times of answers, so the bracket is late
   * by up to one response time. `undefined` until the state has changed once under observation, and
   * in the states of live `errors$`, which sees no snapshots.
   */
  readonly changedAfter?: number | undefined;
  /** The server's `Retry-After` on the last answer, in milliseconds, when it sent one. */
  readonly retryAfterMs?: number | undefined;
}

/** Returns the delay in milliseconds (finite, >= 0) before the next poll. */
export type PollingPolicy = (state: PollState) => number;
