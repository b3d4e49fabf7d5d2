/**
 * A request with retries as one cold Observable: runs an attempt, and after a failure the retry
 * policy accepts, waits its delay on a given scheduler (so tests run in virtual time) and runs the
 * next one. Hand-written rather than `retry({ delay })` over an Observable per attempt: a client
 * may have thousands of requests in flight, and each operator layer costs objects per request.
 */
import type { SchedulerLike, Subscription } from 'rxjs';
import { Observable } from '../rx.js';
import { safeDelay } from '../safe-delay.js';
import { type RetryOptions, retryDelayMs } from './retry-policy.js';

/**
 * Starts one attempt and returns a function that cancels it; the attempt calls `settle` at most
 * once (and never after being cancelled): `true` and the value, or `false` and the error.
 */
export type Attempt = (settle: (ok: boolean, result: unknown) => void) => () => void;

export interface RetryTransientConfig {
  readonly options: RetryOptions;
  readonly scheduler: SchedulerLike;
  /** Which errors may be retried for this request (e.g. `isTransientError`, or `isRefusedError` for a non-idempotent POST). */
  readonly shouldRetry: (error: unknown) => boolean;
}

/**
 * Emits the value of the first attempt that succeeds and completes; retries errors `shouldRetry`
 * accepts, up to `options.maxRetries` times, with capped jittered exponential backoff honouring
 * `Retry-After`; other errors (and the last one) error the stream. `prepare` runs at each
 * subscription (what it throws errors the stream) and gives the attempt function. Unsubscribing
 * cancels the attempt in flight or the wait.
 *
 * @example
 * ```ts
 * retryTransient$(() => (settle) => fetchAnswer(request, settle), { options: DEFAULT_RETRY_OPTIONS, scheduler: asyncScheduler, shouldRetry: isTransientError });
 * ```
 */
export function retryTransient$<T>(prepare: () => Attempt, config: RetryTransientConfig): Observable<T> {
  const { options, scheduler, shouldRetry } = config;
  return new Observable<T>((subscriber) => {
    const attempt = prepare();
    let retries = 0;
    let cancel = (): void => undefined;
    const run = (): void => {
      let settled = false;
      const cancelAttempt = attempt((ok, result) => {
        settled = true;
        if (ok) {
          subscriber.next(result as T);
          subscriber.complete();
          return;
        }
        let delay: number | undefined;
        try {
          delay = retries < options.maxRetries && shouldRetry(result) ? retryDelayMs(++retries, result, options) : undefined;
        } catch (e) {
          // A `retry.random` that throws: the request fails with that error rather than hanging.
          return subscriber.error(e);
        }
        if (delay === undefined) return subscriber.error(result);
        // Cancelling the wait is set before scheduling it: a scheduler that runs a 0 ms action at
        // once (queueScheduler) starts the next attempt inside `schedule`, whose cancel must stay.
        let wait: Subscription | undefined;
        cancel = () => wait?.unsubscribe();
        wait = scheduler.schedule(run, safeDelay(delay));
      });
      // An attempt settled synchronously has nothing left to cancel (and may have set a wait's).
      if (!settled) cancel = cancelAttempt;
    };
    run();
    return () => cancel();
  });
}
