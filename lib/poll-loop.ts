/**
 * PollLoop: the scheduling core shared by a job's status loop and its live `errors$`: one timer,
 * one request in flight, a pause signal, the policy's delays, transient failures retried; and the
 * loop's bookkeeping, turned into the {@link PollState} the policy reads.
 *
 * Hand-written rather than an operator chain, and an abstract class (what to request and what to do
 * with the answer are methods of a subclass) rather than closures: a client may watch thousands of
 * jobs at once, and each operator, closure or options object costs memory per job
 * (docs/performance.md, "Client cost at scale"). One per subscription (per connection of a shared
 * job), never shared.
 */
import type { Observable, SchedulerLike, Subscription } from 'rxjs';
import { isTransientError, retryAfterOf } from './errors.js';
import { remember, type JobSnapshot } from './job-snapshot.js';
import { joinPause, leavePause, type PauseListener } from './pause-hub.js';
import type { PollState, PollingPolicy } from './polling-policy.js';
import { safeDelay } from './safe-delay.js';

/**
 * Starts nothing by itself: call `start()`, which follows `pause$` and polls at once. A failed
 * request is retried on the policy's delay when the failure is transient (see `isTransientError`);
 * otherwise, and when `pause$` errors or the policy throws, the loop stops and calls `failed`. A 0 ms
 * delay still goes through the scheduler, so a policy answering 0 cannot spin synchronously.
 *
 * @example
 * ```ts
 * class StatusLoop extends PollLoop<JobStatus> {
 *   protected send() { return api.getStatus(id); }
 *   protected answered(s: JobStatus) { this.succeeded(toSnapshot(id, s, scheduler.now())); this.next(); }
 *   protected empty() { this.next(); }
 *   protected failed(e: unknown) { subscriber.error(e); }
 * }
 * const loop = new StatusLoop(scheduler, policy, id, pause$);
 * loop.start();
 * return () => loop.stop();
 * ```
 */
export abstract class PollLoop<A> implements PauseListener {
  readonly #scheduler: SchedulerLike;
  readonly #policy: PollingPolicy;
  // Passed on in every state, for the policy's jitter.
  readonly #jobId: string | undefined;
  readonly #pause$: Observable<boolean> | undefined;
  #stopped = false;
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

  /**
   * @param pause$ While it last emitted `true`, no request starts; on `false` a due request starts
   * at once, or when a failed request's `Retry-After` elapses if that is later.
   */
  constructor(scheduler: SchedulerLike, policy: PollingPolicy, jobId: string | undefined, pause$: Observable<boolean> | undefined) {
    this.#scheduler = scheduler;
    this.#policy = policy;
    this.#jobId = jobId;
    this.#pause$ = pause$;
  }

  /** One request (cold); only its first notification counts. */
  protected abstract send(): Observable<A>;
  /** The request's first value (call `succeeded` there); the request is released right after. */
  protected abstract answered(a: A): void;
  /** The request completed without a value. */
  protected abstract empty(): void;
  /** The loop failed for good and is stopped already: a permanent request failure, the policy threw, `pause$` errored. */
  protected abstract failed(error: unknown): void;

  /** Whether `stop()` was called (or the loop failed). */
  get stopped(): boolean {
    return this.#stopped;
  }

  /**
   * Follows `pause$` (shared with every loop given the same Observable, see lib/pause-hub.ts; a
   * synchronous `true` holds the first poll back) and polls at once.
   */
  start(): void {
    if (this.#pause$ && !this.#stopped) joinPause(this.#pause$, this);
    if (!this.#stopped) this.now();
  }

  /** `pause$` emitted (called by its hub). */
  setPaused(paused: boolean): void {
    if (paused === this.#paused || this.#stopped) return;
    this.#paused = paused;
    if (paused) {
      this.#timer?.unsubscribe();
      this.#timer = undefined;
    } else if (this.#due) {
      const left = this.#notBefore - this.#scheduler.now();
      if (left > 0) this.#schedule(left);
      else this.#poll();
    }
  }

  /** Stops the loop and calls `failed` (once; nothing after `stop()`). */
  halt(error: unknown): void {
    if (this.#stopped) return;
    this.stop();
    this.failed(error);
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

  /** Polls after the policy's delay (an error of the policy halts the loop). */
  next(): void {
    if (this.#stopped) return;
    const now = this.#scheduler.now();
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
      if (this.#jobId !== undefined) state.jobId = this.#jobId;
      if (this.#changedAfter !== undefined) state.changedAfter = this.#changedAfter;
      if (this.#retryAfterMs !== undefined) state.retryAfterMs = this.#retryAfterMs;
      delayMs = safeDelay(this.#policy(Object.freeze(state)));
    } catch (e) {
      this.halt(e);
      return;
    }
    // The policy may cap a bogus Retry-After: the window is the shorter of the two.
    this.#notBefore = this.#retryAfterMs === undefined ? 0 : now + Math.min(delayMs, this.#retryAfterMs);
    this.#wait(delayMs, false);
  }

  /** Cancels the timer and the request in flight, leaves `pause$`; nothing runs after it. */
  stop(): void {
    this.#stopped = true;
    // A no-op for a loop that never joined (or left already).
    if (this.#pause$) leavePause(this.#pause$, this);
    this.#timer?.unsubscribe();
    this.#request?.unsubscribe();
    this.#timer = this.#request = undefined;
  }

  #wait(delayMs: number, immediate: boolean): void {
    if (this.#stopped) return;
    this.#due = true;
    if (this.#paused) return;
    if (immediate) this.#poll();
    else this.#schedule(delayMs);
  }

  #schedule(delayMs: number): void {
    // The loop as the action's state: no closure per loop.
    this.#timer = this.#scheduler.schedule(PollLoop.#fire, delayMs, this as PollLoop<unknown>);
  }

  static #fire(loop?: PollLoop<unknown>): void {
    loop!.#poll();
  }

  #rejected(error: unknown): void {
    if (!isTransientError(error)) return this.halt(error);
    this.#attempt++;
    this.#failures++;
    this.#retryAfterMs = retryAfterOf(error);
    this.next();
  }

  #poll(): void {
    this.#due = false;
    this.#timer = undefined;
    if (this.#stopped) return;
    this.#startedAt ??= this.#scheduler.now();
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
      sub = this.send().subscribe({
        next: (a) => {
          if (!settle()) return;
          this.answered(a);
          sub?.unsubscribe();
        },
        error: (e: unknown) => (settle() ? this.#rejected(e) : undefined),
        complete: () => (settle() ? this.empty() : undefined),
      });
    } catch (e) {
      if (settle()) this.#rejected(e);
      return;
    }
    if (settled) sub.unsubscribe();
    else this.#request = sub;
  }
}
