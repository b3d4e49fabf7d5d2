/**
 * An operator that resubscribes to a request after a transient failure, waiting the delay the retry
 * policy gives, on a given scheduler (so tests run in virtual time).
 */
import { type MonoTypeOperatorFunction, type SchedulerLike, retry, throwError, timer } from 'rxjs';
import { safeDelay } from '../safe-delay.js';
import { type RetryOptions, retryDelayMs } from './retry-policy.js';

export interface RetryTransientConfig {
  readonly options: RetryOptions;
  readonly scheduler: SchedulerLike;
  /** Which errors may be retried for this request (e.g. `isTransientError`, or `isRefusedError` for a non-idempotent POST). */
  readonly shouldRetry: (error: unknown) => boolean;
}

/**
 * Retries a cold source on errors `shouldRetry` accepts, up to `options.maxRetries` times, with
 * capped jittered exponential backoff honouring `Retry-After`; other errors pass through at once.
 * The wait is a `timer` on the given scheduler, so unsubscribing during it cancels it.
 *
 * @example
 * ```ts
 * request$.pipe(retryTransient({ options: DEFAULT_RETRY_OPTIONS, scheduler: asyncScheduler, shouldRetry: isTransientError }));
 * ```
 */
export function retryTransient<T>(config: RetryTransientConfig): MonoTypeOperatorFunction<T> {
  const { options, scheduler, shouldRetry } = config;
  if (options.maxRetries === 0) return (source) => source;
  return retry({
    count: options.maxRetries,
    delay: (error: unknown, retryCount: number) => {
      const delay = shouldRetry(error) ? retryDelayMs(retryCount, error, options) : undefined;
      return delay === undefined ? throwError(() => error) : timer(safeDelay(delay), scheduler);
    },
  });
}
