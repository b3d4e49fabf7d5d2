/**
 * PollLoop: the scheduling core shared by a job's status loop and its live `errors$`: one timer,
 * one request in flight, a pause signal, the policy's delays, transient failures retried; and the
 * loop's bookkeeping, turned into the {@link PollState} the policy reads.
 *
 * Hand-written rather than an operator chain, and a class rather than closures: a client may watch
 * thousands of jobs at once, and each operator or closure costs memory per job (docs/performance.md,
 * "Client cost at scale"). One per subscription (per connection of a shared job), never shared.
 */
import type { Observable, SchedulerLike, Subscriber, Subscription } from 'rxjs';
import { isTransientError, retryAfterOf } from './errors.js';
import { remember, type JobSnapshot } from './job-snapshot.js';
import type { PollState, PollingPolicy } from './polling-policy.js';
import { safeDelay } from './safe-delay.js';

export interface PollLoopOptions<A> {
  readonly scheduler: SchedulerLike;
  readonly policy: PollingPolicy;
  /** Passed on in every state, for the policy's jitter. */
  readonly jobId?: string | undefined;
  /**
   * While it last emitted `true`, no request starts; on `false` a due request starts at once, or when
   * a failed request's `Retry-After` elapses if that is later.
   */
  readonly pause$?: Observable<boolean> | undefined;
  /** One request (cold); only its first notification counts. */
  readonly send: () => Observable<A>;
  /** The request's first value (call `succeeded` there); the request is released right after. */
  readonly answered: (a: A) => void;
  /** The request completed without a value. */
  readonly empty: () => void;
}

/**
 * Starts nothing by itself: call `now()` or `next()`. A failed request is retried on the policy's
 * delay when the failure is transient (see `isTransientError`), else errors `subscriber`; so do
 * errors of `pause$`. A 0 ms delay still goes through the scheduler, so a policy answering 0 cannot
 * spin synchronously.
 *
 * @example
 * ```ts
 * const loop: PollLoop<JobStatus> = new PollLoop(subscriber, {
 *   scheduler, policy, send: () => api.getStatus(id), answered: () => (loop.succeeded(), loop.next()), empty: () => loop.next(),
 * });
 * loop.now();
 * return () => loop.unsubscribe();
 * ```
 */
export class PollLoop<A> {
  readonly #subscriber: Subscriber<unknown>;
  readonly #o: PollLoopOptions<A>;
  readonly #pauseSubscription: Subscription | undefined;
  #attempt = 0;
  #failures = 0;
  #startedAt: number | undefined;
  #retryAfterMs: number | undefined;
  #snapshots: readonly JobSnapshot[] = [];
  // When the last status answer arrived, and when the one before the latest change did.
  #answeredAt: number | undefined;
  #changedAfter: number | undefined;
  #paused = false;
  // A poll is due: as soon as the pause ends, or when `#timer` fires.
  #due = false;
  // No poll before this instant, even on a resume: the server's Retry-After window.
  #notBefore = 0;
  #timer: Subscription | undefined;
  #request: Subscription | undefined;

  constructor(subscriber: Subscriber<unknown>, options: PollLoopOptions<A>) {
    this.#subscriber = subscriber;
    this.#o = options;
    this.#pauseSubscription = options.pause$?.subscribe({
      next: (p) => {
        if (p === this.#paused) return;
        this.#paused = p;
        if (p) {
          this.#timer?.unsubscribe();
          this.#timer = undefined;
        } else if (this.#due) {
          const left = this.#notBefore - options.scheduler.now();
          if (left > 0) this.#schedule(left);
          else this.#poll();
        }
      },
      error: (e: unknown) => subscriber.error(e),
    });
  }

  /** A request was answered; `snapshot` is what it said, when it was a status. */
  succeeded(snapshot?: JobSnapshot): void {
    this.#attempt++;
    this.#failures = 0;
    this.#retryAfterMs = undefined;
    if (snapshot === undefined) return;
    const before = this.#snapshots;
    this.#snapshots = remember(before, snapshot);
    if (this.#snapshots !== before && before.length > 0) this.#changedAfter = this.#answeredAt;
    this.#answeredAt = snapshot.observedAt;
  }

  /** Polls at once (or on resume while paused), cancelling a pending delay. */
  now(): void {
    this.#timer?.unsubscribe();
    this.#timer = undefined;
    this.#wait(0, true);
  }

  /** Polls after the policy's delay (an error of the policy errors the subscriber). */
  next(): void {
    if (this.#subscriber.closed) return;
    const now = this.#o.scheduler.now();
    let delayMs: number;
    try {
      // One literal, no spreads; the history is passed as it is (remember() returns it frozen).
      const state: { -readonly [K in keyof PollState]: PollState[K] } = {
        attempt: this.#attempt,
        failures: this.#failures,
        startedAt: this.#startedAt ?? now,
        now,
        snapshots: this.#snapshots,
      };
      if (this.#o.jobId !== undefined) state.jobId = this.#o.jobId;
      if (this.#changedAfter !== undefined) state.changedAfter = this.#changedAfter;
      if (this.#retryAfterMs !== undefined) state.retryAfterMs = this.#retryAfterMs;
      delayMs = safeDelay(this.#o.policy(Object.freeze(state)));
    } catch (e) {
      this.#subscriber.error(e);
      return;
    }
    // The policy may cap a bogus Retry-After: the window is the shorter of the two.
    this.#notBefore = this.#retryAfterMs === undefined ? 0 : now + Math.min(delayMs, this.#retryAfterMs);
    this.#wait(delayMs, false);
  }

  /** Cancels the timer, the request in flight and the pause subscription. */
  unsubscribe(): void {
    this.#pauseSubscription?.unsubscribe();
    this.#timer?.unsubscribe();
    this.#request?.unsubscribe();
  }

  #wait(delayMs: number, immediate: boolean): void {
    this.#due = true;
    if (this.#paused) return;
    if (immediate) this.#poll();
    else this.#schedule(delayMs);
  }

  #schedule(delayMs: number): void {
    // The loop as the action's state: no closure per loop.
    this.#timer = this.#o.scheduler.schedule(PollLoop.#fire, delayMs, this as PollLoop<unknown>);
  }

  static #fire(loop?: PollLoop<unknown>): void {
    loop!.#poll();
  }

  #failed(error: unknown): void {
    if (!isTransientError(error)) return this.#subscriber.error(error);
    this.#attempt++;
    this.#failures++;
    this.#retryAfterMs = retryAfterOf(error);
    this.next();
  }

  #poll(): void {
    this.#due = false;
    this.#timer = undefined;
    if (this.#subscriber.closed) return;
    this.#startedAt ??= this.#o.scheduler.now();
    // Only the first notification counts (the source may answer synchronously, before `subscribe`
    // returns, or keep emitting); the request is released once settled.
    let settled = false;
    let sub: Subscription | undefined;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      if (this.#request === sub) this.#request = undefined;
      return true;
    };
    try {
      sub = this.#o.send().subscribe({
        next: (a) => {
          if (!settle()) return;
          this.#o.answered(a);
          sub?.unsubscribe();
        },
        error: (e: unknown) => (settle() ? this.#failed(e) : undefined),
        complete: () => (settle() ? this.#o.empty() : undefined),
      });
    } catch (e) {
      if (settle()) this.#failed(e);
      return;
    }
    if (settled) sub.unsubscribe();
    else this.#request = sub;
  }
}
