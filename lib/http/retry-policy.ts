/**
 * The transport's retry policy: how many times and how long to wait before resending a request that
 * failed transiently. Capped, jittered exponential backoff; a server's `Retry-After` is honoured.
 */
import { ConfigurationError, isApiError } from '../errors.js';

export interface RetryOptions {
  /** Retries after the first attempt; 0 disables retrying. Default 4. */
  readonly maxRetries: number;
  /** Base delay before the first retry. Default 1000 ms. */
  readonly initialDelayMs: number;
  /** Growth of the base delay per retry. Default 3 (1 s, 3 s, 9 s, 27 s, like the Python client). */
  readonly factor: number;
  /** Cap of any backoff delay. Default 30,000 ms. */
  readonly maxDelayMs: number;
  /**
   * A `Retry-After` longer than this is not waited for: the error is raised at once, with its
   * `retryAfterMs`, for the caller to decide. Default 120,000 ms.
   */
  readonly maxRetryAfterMs: number;
  /** Source of jitter in [0, 1). Default `Math.random`; inject for deterministic tests. */
  readonly random: () => number;
}

export const DEFAULT_RETRY_OPTIONS: RetryOptions = /*#__PURE__*/ Object.freeze({
  maxRetries: 4,
  initialDelayMs: 1000,
  factor: 3,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
  random: Math.random,
});

/**
 * Completes partial options with the defaults; `false` means no retries.
 * @throws ConfigurationError when a number is negative (or `maxRetries` not an integer).
 *
 * @example
 * ```ts
 * resolveRetryOptions({ maxRetries: 2 }).initialDelayMs; // 1000
 * ```
 */
export function resolveRetryOptions(options: Partial<RetryOptions> | false | undefined): RetryOptions {
  if (options === false) return { ...DEFAULT_RETRY_OPTIONS, maxRetries: 0 };
  const o = { ...DEFAULT_RETRY_OPTIONS, ...(options ?? {}) };
  for (const k of ['maxRetries', 'initialDelayMs', 'factor', 'maxDelayMs', 'maxRetryAfterMs'] as const) {
    if (!(typeof o[k] === 'number' && o[k] >= 0 && (k !== 'maxRetries' || Number.isInteger(o[k])))) {
      throw new ConfigurationError(`retry.${k} must be a non-negative number`);
    }
  }
  return o;
}

/**
 * The delay before retry number `retry` (1 for the first retry) after `error`, or `undefined` to
 * give up. With a `Retry-After`, exactly that (if not above `maxRetryAfterMs`); otherwise
 * `min(maxDelayMs, initialDelayMs * factor^(retry-1) * (0.5 + random()))`.
 *
 * @example
 * ```ts
 * retryDelayMs(2, new Error(), { ...DEFAULT_RETRY_OPTIONS, random: () => 0.5 }); // 3000
 * ```
 */
export function retryDelayMs(retry: number, error: unknown, options: RetryOptions): number | undefined {
  if (retry > options.maxRetries) return undefined;
  const retryAfter = isApiError(error) ? error.retryAfterMs : undefined;
  if (retryAfter !== undefined) return retryAfter <= options.maxRetryAfterMs ? retryAfter : undefined;
  const base = options.initialDelayMs * Math.pow(options.factor, retry - 1);
  // Jitter in [0.5, 1.5) spreads clients that failed together without changing the mean.
  const jittered = base * (0.5 + Math.min(Math.max(options.random(), 0), 1));
  return Math.round(Math.min(options.maxDelayMs, jittered));
}
