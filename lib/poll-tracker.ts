/**
 * PollTracker: the bookkeeping of one polling loop, turned into the {@link PollState} its policy
 * reads. One per subscription (per connection of a shared job), never shared.
 */
import { retryAfterOf } from './errors.js';
import { sameSnapshot, type JobSnapshot } from './job-snapshot.js';
import type { PollState } from './polling-policy.js';

/** How many of the most recent distinct snapshots a PollState keeps (plus the first). */
export const KEPT_SNAPSHOTS = 8;

export class PollTracker {
  readonly #jobId: string | undefined;
  #attempt = 0;
  #failures = 0;
  #startedAt: number | undefined;
  #retryAfterMs: number | undefined;
  #snapshots: JobSnapshot[] = [];

  /** `jobId` (when given) is passed on in every state, for the policy's jitter. */
  constructor(jobId?: string) {
    this.#jobId = jobId;
  }

  /** A request is being sent at `now`. */
  sent(now: number): void {
    if (this.#startedAt === undefined) this.#startedAt = now;
  }

  /** A request was answered; `snapshot` is what it said, when it was a status. */
  succeeded(snapshot?: JobSnapshot): void {
    this.#attempt++;
    this.#failures = 0;
    this.#retryAfterMs = undefined;
    if (snapshot === undefined) return;
    const last = this.#snapshots[this.#snapshots.length - 1];
    if (last !== undefined && sameSnapshot(last, snapshot)) return;
    this.#snapshots.push(snapshot);
    // Keep the first and the most recent few: a policy may want the start rate and the recent one.
    if (this.#snapshots.length > KEPT_SNAPSHOTS + 1) this.#snapshots.splice(1, 1);
  }

  /** A request failed with a transient error. */
  failed(error: unknown): void {
    this.#attempt++;
    this.#failures++;
    this.#retryAfterMs = retryAfterOf(error);
  }

  /** The state a policy sees at `now`. */
  state(now: number): PollState {
    return Object.freeze({
      ...(this.#jobId !== undefined ? { jobId: this.#jobId } : {}),
      attempt: this.#attempt,
      failures: this.#failures,
      startedAt: this.#startedAt ?? now,
      now,
      snapshots: Object.freeze(this.#snapshots.slice()),
      ...(this.#retryAfterMs !== undefined ? { retryAfterMs: this.#retryAfterMs } : {}),
    });
  }
}

