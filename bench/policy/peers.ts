/**
 * The contenders, each reproduced from its documented behaviour as a PollingPolicy so that one
 * poll loop (simulate.ts) drives them all. Every one polls once at start.
 */
import type { PollingPolicy } from '../../lib/polling-policy.js';
import type { Rng } from './rng.js';

export interface Contender {
  readonly name: string;
  readonly description: string;
  /** A fresh policy for one job; `rng` feeds the policies that draw random jitter. */
  readonly make: (rng: Rng) => PollingPolicy;
  /**
   * Time the client still spends after it received the terminal answer before its caller sees it
   * (the Python client sleeps 5 s after every answer, the last one included).
   */
  readonly afterTerminalMs?: number;
  /** Ours: highlighted in the table and the plot. */
  readonly ours?: boolean;
}

/** nucleus `AsyncJob.sleep_until_complete`: status(), sleep(5), stop unless "Running". */
export const pythonClient: Contender = {
  name: 'python-client',
  description: 'Nucleus Python client: every 5 s, and 5 s more after the terminal answer (Queued treated as pending, kinder than the original)',
  make: () => () => 5_000,
  afterTerminalMs: 5_000,
};

/** `@azure/core-lro`: a fixed 2 s interval (intervalInMs default). */
export const coreLro: Contender = {
  name: 'core-lro',
  description: '@azure/core-lro: every 2 s',
  make: () => () => 2_000,
};

/**
 * `@smithy/util-waiter`: after attempt n (1-based) waits `minDelay + random() * (min(minDelay *
 * 2^(n-1), maxDelay) - minDelay)`, then `maxDelay` flat once n exceeds the attempt ceiling
 * `log2(maxDelay / minDelay) + 1`; minDelay 2 s, maxDelay 120 s.
 */
export function smithyWaiterDelay(attempt: number, random: number, minDelay = 2_000, maxDelay = 120_000): number {
  const ceiling = Math.log(maxDelay / minDelay) / Math.log(2) + 1;
  if (attempt > ceiling) return maxDelay;
  const delay = Math.min(minDelay * 2 ** (attempt - 1), maxDelay);
  return minDelay + random * (delay - minDelay);
}

export const awsWaiter: Contender = {
  name: 'aws-waiter',
  description: '@smithy/util-waiter: jittered doubling from 2 s, then 120 s flat',
  make: (rng) => (s) => smithyWaiterDelay(s.attempt, rng()),
};

/** google-gax long-running operations: 100 ms, x1.3 per poll, capped at 60 s, no jitter. */
export const googleGax: Contender = {
  name: 'google-gax',
  description: 'google-gax LRO: 100 ms x 1.3^n, capped at 60 s, no jitter',
  make: () => (s) => Math.min(100 * 1.3 ** (s.attempt - 1), 60_000),
};
