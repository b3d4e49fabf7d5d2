/**
 * How a watched job ended, for humans (`completed`, `failed`, ...) and for the exit code.
 */
import type { JobSnapshot } from '../job-snapshot.js';
import { ExitCode } from './exit-codes.js';

export type JobOutcome = 'completed' | 'failed' | 'cancelled' | 'timed_out' | 'error' | 'interrupted';

export const OUTCOME_EXIT_CODE: Readonly<Record<JobOutcome, ExitCode>> = {
  completed: ExitCode.Ok,
  failed: ExitCode.JobFailed,
  cancelled: ExitCode.JobCancelled,
  timed_out: ExitCode.JobTimedOut,
  error: ExitCode.ApiError,
  interrupted: ExitCode.Interrupted,
};

/**
 * The outcome of a job from its last snapshot: `undefined` while it is still pending.
 *
 * @example
 * outcomeOfSnapshot({ phase: 'failed' }) // 'failed'
 */
export function outcomeOfSnapshot(snapshot: Pick<JobSnapshot, 'phase'> | undefined): JobOutcome | undefined {
  switch (snapshot?.phase) {
    case 'succeeded':
      return 'completed';
    case 'failed':
      return 'failed';
    case 'cancelled':
      return 'cancelled';
    default:
      return undefined;
  }
}
