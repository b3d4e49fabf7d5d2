/** A snapshot of job_1 observed at `t`, with the step counts and progress given: for policy and ETA specs. */
import { toSnapshot, type JobSnapshot } from '../../lib/job-snapshot.js';
import type { PollState } from '../../lib/polling-policy.js';

export function stepSnapshot(t: number, status: string, completedSteps?: number, totalSteps?: number, progress?: number): JobSnapshot {
  return toSnapshot('job_1', { jobId: 'job_1', status, message: undefined, progress, completedSteps, totalSteps }, t);
}

/** A PollState at `now` over `snapshots` (started at 0, no failure), for policy specs. */
export function pollState(now: number, snapshots: JobSnapshot[], extra: Partial<PollState> = {}): PollState {
  return { attempt: snapshots.length, failures: 0, startedAt: 0, now, snapshots, retryAfterMs: undefined, ...extra };
}
