/**
 * The poll loop of AsyncJob, in virtual time: poll at once, then wait `policy(state)` after each
 * answer; the state carries the distinct snapshots observed, kept by the loop's own `remember`
 * (the first one and KEPT_SNAPSHOTS more), stamped with the instant they were first
 * seen, and when the answer before the latest change came (`changedAfter`), as PollLoop does. Network time is taken as zero, so a snapshot is
 * the server's state at the instant of the poll.
 */
import { isTerminal, remember, toSnapshot, type JobSnapshot } from '../../lib/job-snapshot.js';
import type { JobStatus } from '../../lib/codecs/job.js';
import type { PollState, PollingPolicy } from '../../lib/polling-policy.js';
import { statusAt, type SimJob } from './workloads.js';

/** A safety net against a policy that never lets a job finish in the simulation. */
const MAX_POLLS = 100_000;

export interface JobResult {
  readonly requests: number;
  /** Time from the true end to the moment the caller learns it, ms. */
  readonly latency: number;
}

/** What the server answers for `job` at `t`: the workloads' own model unless a scenario says otherwise. */
export type StatusModel = (job: SimJob, t: number) => JobStatus;

export function simulate(job: SimJob, policy: PollingPolicy, afterTerminalMs = 0, status: StatusModel = statusAt): JobResult {
  const startedAt = 0;
  let now = startedAt;
  let snapshots: readonly JobSnapshot[] = [];
  let answeredAt: number | undefined;
  let changedAfter: number | undefined;
  for (let attempt = 1; attempt <= MAX_POLLS; attempt++) {
    const snapshot = toSnapshot(job.id, status(job, now), now);
    const last = snapshots[snapshots.length - 1];
    const before = snapshots;
    snapshots = remember(before, snapshot);
    if (snapshots !== before && last !== undefined) changedAfter = answeredAt;
    if (isTerminal(snapshot)) return { requests: attempt, latency: now + afterTerminalMs - job.end };
    answeredAt = now;
    const state: PollState = { attempt, failures: 0, startedAt, now, snapshots, changedAfter, retryAfterMs: undefined };
    const delay = policy(state);
    if (!Number.isFinite(delay) || delay < 0) throw new Error(`policy returned ${delay} at attempt ${attempt} of ${job.id}`);
    now += delay;
  }
  throw new Error(`job ${job.id} not detected after ${MAX_POLLS} polls`);
}
