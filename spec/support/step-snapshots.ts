/** A snapshot of job_1 observed at `t`, with the step counts and progress given: for policy and ETA specs. */
import { toSnapshot, type JobSnapshot } from '../../lib/job-snapshot.js';

export function stepSnapshot(t: number, status: string, completedSteps?: number, totalSteps?: number, progress?: number): JobSnapshot {
  return toSnapshot('job_1', { jobId: 'job_1', status, message: undefined, progress, completedSteps, totalSteps }, t);
}
