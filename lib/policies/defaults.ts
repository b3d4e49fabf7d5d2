/**
 * The policies jobs use unless told otherwise.
 *
 * Status polling defaults to the progress-aware policy: it reads `job_progress` and the step
 * counts to poll just before the estimated end, and backs off to 30 s for jobs that report nothing
 * (figures against the peers' policies in docs/performance.md). Live `errors$` sees no progress of
 * its own, so it defaults to capped exponential backoff.
 */
import type { PollingPolicy } from '../polling-policy.js';
import { exponentialBackoffPolicy } from './exponential-backoff.js';
import { progressAwarePolicy } from './progress-aware.js';

/** The status-polling policy of every `AsyncJob` without a `policy` option: `progressAware()`. */
export const defaultPollingPolicy: PollingPolicy = progressAwarePolicy;

/** The policy of live `errors$` without an `errorsPolicy` option: `exponentialBackoff()`. */
export const defaultErrorsPolicy: PollingPolicy = exponentialBackoffPolicy;
