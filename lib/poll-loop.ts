/**
 * pollLoop: the scheduling core shared by a job's status loop and its live `errors$`: one timer,
 * one request in flight, a pause signal, the policy's delays, transient failures retried.
 * Hand-written rather than an operator chain: a client may watch thousands of jobs at once, and each
 * operator would cost subscriber objects per job (docs/performance.md, "Client cost at scale").
 * It also keeps the loop's bookkeeping, turned into the {@link PollState} the policy reads.
 * One per subscription (per connection of a shared job), never shared.
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
  /** While it last emitted `true`, no request starts; on `false` a due request starts at once. */
  readonly pause$: Observable<boolean> | undefined;
  /** One request (cold); only its first notification counts. */
  readonly send: () => Observable<A>;
  /** The request's first value (call `succeeded` there); the request is released right after. */
  readonly answered: (a: A) => void;
  /** The request completed without a value. */
  readonly empty: () => void;
}

export interface PollLoop {
  /** A request was answered; `snapshot` is what it said, when it was a status. */
  succeeded(snapshot?: JobSnapshot): void;
  /** Polls at once (or on resume while paused). */
  now(): void;
  /** Polls after the policy's delay (an error of the policy errors the subscriber). */
  next(): void;
  /** Whether a poll is due, i.e. waited for (its timer or the end of a pause). */
  readonly due: boolean;
  /** Cancels the timer, the request in flight and the pause subscription. */
  unsubscribe(): void;
}

/**
 * Starts nothing by itself: call `now()` or `next()`. A failed request is retried on the policy's
 * delay when the failure is transient (see `isTransientError`), else errors `subscriber`; so do
 * errors of `pause$`. A 0 ms delay still goes through the scheduler, so a policy answering 0 cannot
 * spin synchronously.
 *
 * @example
 * ```ts
 * const loop = pollLoop(subscriber, { scheduler, policy, pause$, send, answered: () => (loop.succeeded(), loop.next()), empty: () => loop.next() });
 * loop.now();
 * return () => loop.unsubscribe();
 * ```
 */
export function pollLoop<A>(subscriber: Subscriber<unknown>, o: PollLoopOptions<A>): PollLoop {
  const { scheduler, jobId } = o;
  let attempt = 0;
  let failures = 0;
  let startedAt: number | undefined;
  let retryAfterMs: number | undefined;
  let snapshots: readonly JobSnapshot[] = Object.freeze([]);
  let paused = false;
  let due = false;
  let timer: Subscription | undefined;
  let request: Subscription | undefined;

  const wait = (delayMs: number, immediate: boolean): void => {
    due = true;
    if (paused) return;
    if (immediate) poll();
    else timer = scheduler.schedule(poll, delayMs);
  };

  const next = (): void => {
    if (subscriber.closed) return;
    let delayMs: number;
    try {
      const now = scheduler.now();
      const state: PollState = Object.freeze({
        ...(jobId !== undefined ? { jobId } : {}),
        attempt,
        failures,
        startedAt: startedAt ?? now,
        now,
        snapshots,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      });
      delayMs = safeDelay(o.policy(state));
    } catch (e) {
      subscriber.error(e);
      return;
    }
    wait(delayMs, false);
  };

  const failed = (error: unknown): void => {
    if (!isTransientError(error)) return subscriber.error(error);
    attempt++;
    failures++;
    retryAfterMs = retryAfterOf(error);
    next();
  };

  const poll = (): void => {
    due = false;
    timer = undefined;
    if (subscriber.closed) return;
    startedAt ??= scheduler.now();
    // Only the first notification counts (the source may answer synchronously, before `subscribe`
    // returns, or keep emitting); the request is released once settled.
    let settled = false;
    let sub: Subscription | undefined;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      if (request === sub) request = undefined;
      return true;
    };
    try {
      sub = o.send().subscribe({
        next: (a) => {
          if (!settle()) return;
          o.answered(a);
          sub?.unsubscribe();
        },
        error: (e: unknown) => (settle() ? failed(e) : undefined),
        complete: () => (settle() ? o.empty() : undefined),
      });
    } catch (e) {
      if (settle()) failed(e);
      return;
    }
    if (settled) sub.unsubscribe();
    else request = sub;
  };

  const pauseSubscription = o.pause$?.subscribe({
    next: (p) => {
      if (p === paused) return;
      paused = p;
      if (p) {
        timer?.unsubscribe();
        timer = undefined;
      } else if (due) poll();
    },
    error: (e: unknown) => subscriber.error(e),
  });

  return {
    succeeded: (snapshot) => {
      attempt++;
      failures = 0;
      retryAfterMs = undefined;
      if (snapshot !== undefined) snapshots = Object.freeze(remember(snapshots, snapshot));
    },
    now: () => {
      timer?.unsubscribe();
      wait(0, true);
    },
    next,
    get due() {
      return due;
    },
    unsubscribe: () => {
      pauseSubscription?.unsubscribe();
      timer?.unsubscribe();
      request?.unsubscribe();
    },
  };
}
