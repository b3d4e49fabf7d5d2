/**
 * `--analysis`: 3-step jobs off the benchmark's model, where the few-steps schedule's assumptions
 * (steps of one length give or take `stepSpread`, watched from the start, progress that only restates
 * the steps) do not hold, against the previous default (`fewSteps: 0`), on the same jobs.
 */
import type { JobStatus } from '../../lib/codecs/job.js';
import { progressAware, type ProgressAwareOptions } from '../../lib/policies/progress-aware.js';
import { logUniform, mulberry32, seedOf } from './rng.js';
import { simulate, type StatusModel } from './simulate.js';
import { mean, quantile } from './stats.js';
import { MAX_MS, MIN_MS, stepTimes, statusAt, type SimJob } from './workloads.js';

/** 3 steps whose lengths are `shares` of the job, each times lognormal(sigma). */
function threeSteps(count: number, seed: number, shares: readonly number[], sigma: number, minMs = MIN_MS): SimJob[] {
  return Array.from({ length: count }, (_, i) => {
    const rng = mulberry32(seedOf(seed, 77, i));
    const end = logUniform(rng, minMs, MAX_MS);
    return { id: `r-${i}`, queuedUntil: 0, stepEnds: stepTimes(rng, 3, 0, end, sigma, (k, w) => shares[k]! * w), end, reportsProgress: true };
  });
}

/** The same jobs watched from `at(job)` on: their times shifted, so polling starts then. */
const watchedFrom = (jobs: readonly SimJob[], at: (j: SimJob, i: number) => number): SimJob[] =>
  jobs.map((j, i) => {
    const o = at(j, i);
    return { ...j, stepEnds: j.stepEnds.map((t) => t - o), end: j.end - o };
  });

/** The step being run (from `s`, the status at `t`) and how far into it the job is. */
function within(job: SimJob, t: number, s: JobStatus): [number, number] {
  const k = s.completedSteps ?? 0;
  const from = k === 0 ? 0 : job.stepEnds[k - 1]!;
  return [k, (t - from) / (job.stepEnds[k]! - from)];
}

const progressWithin: StatusModel = (job, t) => {
  const s = statusAt(job, t);
  if (s.status !== 'Running') return s;
  const [k, f] = within(job, t, s);
  return { ...s, progress: Math.floor((100 * (k + f)) / 3) / 100 };
};

const messageWithin: StatusModel = (job, t) => {
  const s = statusAt(job, t);
  return s.status !== 'Running' ? s : { ...s, message: within(job, t, s)[1] < 0.5 ? 'reading' : 'writing' };
};

const messageEverySecond: StatusModel = (job, t) => {
  const s = statusAt(job, t);
  return s.status !== 'Running' ? s : { ...s, message: `${Math.floor(t / 1000)} s` };
};

export function robustness(jobCount: number, seed: number): string[] {
  const equal = threeSteps(jobCount, seed, [1, 1, 1], 0.3);
  const scenarios: [string, readonly SimJob[], StatusModel?][] = [
    ['the model (sigma 0.3)', equal],
    ['jobs of 10 min .. 1 h only', threeSteps(jobCount, seed, [1, 1, 1], 0.3, 600_000)],
    ['steps more uneven (sigma 0.6)', threeSteps(jobCount, seed, [1, 1, 1], 0.6)],
    ['steps 10/10/80 % of the job', threeSteps(jobCount, seed, [0.1, 0.1, 0.8], 0.1)],
    ['steps 10/80/10 %', threeSteps(jobCount, seed, [0.1, 0.8, 0.1], 0.1)],
    ['steps 20/20/60 %', threeSteps(jobCount, seed, [0.2, 0.2, 0.6], 0.3)],
    ['steps 45/45/10 % (short last step)', threeSteps(jobCount, seed, [0.45, 0.45, 0.1], 0.1)],
    ['watched from a random instant of step 1 or 2', watchedFrom(equal, (j, i) => mulberry32(seedOf(seed, 5, i))() * j.stepEnds[1]!)],
    ['job_progress moving within the steps', equal, progressWithin],
    ['a message changing half-way through each step', equal, messageWithin],
    ['a message changing every second', equal, messageEverySecond],
  ];
  const cells = (jobs: readonly SimJob[], opts: ProgressAwareOptions, status?: StatusModel): string => {
    const rs = jobs.map((j) => simulate(j, progressAware(opts), 0, status));
    const lat = rs.map((r) => r.latency);
    const s = (ms: number): string => (ms / 1000).toFixed(1);
    return `${mean(rs.map((r) => r.requests)).toFixed(1)} | ${s(quantile(lat, 0.95))} | ${s(quantile(lat, 0.99))}`;
  };
  const out = [
    `| 3-step jobs off the model (${jobCount} each) | defaults: req/job | p95 (s) | p99 (s) | previous default: req/job | p95 (s) | p99 (s) |`,
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const [name, jobs, status] of scenarios) out.push(`| ${name} | ${cells(jobs, {}, status)} | ${cells(jobs, { fewSteps: 0 }, status)} |`);
  return out;
}
