import { expect } from 'chai';
import { of, VirtualTimeScheduler, type Observable } from 'rxjs';
import { AsyncJob } from '../../lib/async-job.js';
import type { JobInfo, JobStatus } from '../../lib/codecs/job.js';
import type { JobApi } from '../../lib/job-api.js';
import type { JobSnapshot } from '../../lib/job-snapshot.js';
import { progressAware } from '../../lib/policies/progress-aware.js';
import type { PollingPolicy, PollState } from '../../lib/polling-policy.js';
import { mulberry32, seedOf } from '../../bench/policy/rng.js';
import { simulate } from '../../bench/policy/simulate.js';
import { jobsOf, statusAt, workloads, type SimJob } from '../../bench/policy/workloads.js';

/** Runs one simulated job through the real AsyncJob on a virtual-time scheduler. */
function throughAsyncJob(job: SimJob, policy: PollingPolicy): { requests: number; latency: number; states: PollState[] } {
  const scheduler = new VirtualTimeScheduler(undefined, Infinity);
  let requests = 0;
  const api: JobApi = {
    getStatus: (): Observable<JobStatus> => {
      requests++;
      return of(statusAt(job, scheduler.now()));
    },
    getErrors: () => of([]),
    getInfo: () => of({ jobId: job.id, lastKnownStatus: 'Queued', jobType: 'uploadDatasetItems', createdAt: '2026-11-28T10:00:00Z' }),
  };
  const info: JobInfo = { jobId: job.id, lastKnownStatus: 'Queued', jobType: 'uploadDatasetItems', createdAt: '2026-11-28T10:00:00Z' };
  const states: PollState[] = [];
  const recording: PollingPolicy = (s) => {
    states.push(s);
    return policy(s);
  };
  let last: JobSnapshot | undefined;
  new AsyncJob(info, api, { scheduler, policy: recording }).subscribe((s) => (last = s));
  scheduler.flush();
  return { requests, latency: last!.observedAt - job.end, states };
}

describe('bench/policy simulate', () => {
  it('polls exactly like AsyncJob: same requests and detection time, job by job', () => {
    for (const [wi, w] of workloads.entries()) {
      for (const [ji, job] of jobsOf(w, wi, 15, 3).entries()) {
        for (const make of [() => progressAware(), () => (s: PollState) => Math.min(60_000, 100 * 1.3 ** (s.attempt - 1))]) {
          const real = throughAsyncJob(job, make());
          const simStates: PollState[] = [];
          const policy = make();
          const sim = simulate(job, (s) => {
            simStates.push(s);
            return policy(s);
          });
          const where = `${w.name} job ${ji} (seed ${seedOf(3, wi, ji)})`;
          expect(sim.requests, where).to.equal(real.requests);
          expect(sim.latency, where).to.be.closeTo(real.latency, 1e-6);
          // The policy saw the same history: same snapshots kept, same observation times.
          const lastSim = simStates[simStates.length - 1]!;
          const lastReal = real.states[real.states.length - 1]!;
          expect(lastSim.snapshots.map((s) => [s.status, s.completedSteps, s.observedAt]), where).to.deep.equal(
            lastReal.snapshots.map((s) => [s.status, s.completedSteps, s.observedAt - lastReal.startedAt]),
          );
          // And the same bracket of every change, at every poll.
          expect(simStates.map((s) => s.changedAfter), where).to.deep.equal(
            real.states.map((s) => (s.changedAfter === undefined ? undefined : s.changedAfter - s.startedAt)),
          );
        }
      }
    }
    expect(mulberry32(1)()).to.be.within(0, 1);
  });
});
