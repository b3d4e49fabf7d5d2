/**
 * Seeded workloads: jobs whose whole life (queue wait, step completion times, end) is drawn up
 * front, so that the server's answer at any instant is a pure function of time.
 */
import type { JobStatus } from '../../lib/codecs/job.js';
import { intBetween, logNormal, logUniform, mulberry32, seedOf, uniform, type Rng } from './rng.js';

/** One simulated job. Times in milliseconds since the job was submitted (= polling started). */
export interface SimJob {
  readonly id: string;
  /** When the job leaves `Queued` (0: never queued). */
  readonly queuedUntil: number;
  /** When each step completes, ascending; empty for opaque jobs. */
  readonly stepEnds: readonly number[];
  /** The true end: the job is `Completed` from this instant on. */
  readonly end: number;
  /** Whether the job reports progress and steps while running. */
  readonly reportsProgress: boolean;
}

export interface Workload {
  readonly name: string;
  readonly description: string;
  readonly make: (rng: Rng, index: number) => SimJob;
}

export const MIN_MS = 5_000;
export const MAX_MS = 3_600_000;

/** Step completion times for `n` steps between `from` and `to`, step lengths ~ lognormal(sigma). */
export function stepTimes(rng: Rng, n: number, from: number, to: number, sigma: number, weigh?: (i: number, w: number) => number): number[] {
  const w: number[] = [];
  for (let i = 0; i < n; i++) w.push(weigh ? weigh(i, logNormal(rng, sigma)) : logNormal(rng, sigma));
  const sum = w.reduce((a, b) => a + b, 0);
  const ends: number[] = [];
  let acc = 0;
  for (let i = 0; i < n; i++) {
    acc += w[i]!;
    ends.push(from + ((to - from) * acc) / sum);
  }
  ends[n - 1] = to; // no rounding drift: the last step ends the job
  return ends;
}

function stepped(id: string, end: number, queuedUntil: number, stepEnds: number[]): SimJob {
  return { id, queuedUntil, stepEnds, end, reportsProgress: true };
}

export const workloads: readonly Workload[] = [
  {
    name: 'fine',
    description: '100..1000 steps, step lengths lognormal(sigma 0.3)',
    make: (rng, i) => {
      const end = logUniform(rng, MIN_MS, MAX_MS);
      return stepped(`fine-${i}`, end, 0, stepTimes(rng, intBetween(rng, 100, 1000), 0, end, 0.3));
    },
  },
  {
    name: 'coarse',
    description: '3 steps, step lengths lognormal(sigma 0.3)',
    make: (rng, i) => {
      const end = logUniform(rng, MIN_MS, MAX_MS);
      return stepped(`coarse-${i}`, end, 0, stepTimes(rng, 3, 0, end, 0.3));
    },
  },
  {
    name: 'coarse-regular',
    description: '3 steps of nearly equal length (lognormal sigma 0.1)',
    make: (rng, i) => {
      const end = logUniform(rng, MIN_MS, MAX_MS);
      return stepped(`coarse-regular-${i}`, end, 0, stepTimes(rng, 3, 0, end, 0.1));
    },
  },
  {
    name: 'uneven',
    description: '5..40 steps, step lengths lognormal(sigma 1.2): a few steps take most of the time',
    make: (rng, i) => {
      const end = logUniform(rng, MIN_MS, MAX_MS);
      return stepped(`uneven-${i}`, end, 0, stepTimes(rng, intBetween(rng, 5, 40), 0, end, 1.2));
    },
  },
  {
    name: 'rate-change',
    description: '100..1000 steps; at 20..80 % of them the rate changes by a factor 1/4..4',
    make: (rng, i) => {
      const end = logUniform(rng, MIN_MS, MAX_MS);
      const n = intBetween(rng, 100, 1000);
      const at = Math.floor(n * uniform(rng, 0.2, 0.8));
      const factor = logUniform(rng, 0.25, 4);
      return stepped(`rate-${i}`, end, 0, stepTimes(rng, n, 0, end, 0.3, (k, w) => (k >= at ? w * factor : w)));
    },
  },
  {
    name: 'queued',
    description: 'Queued for 10..80 % of its life (no progress), then 20..200 steps',
    make: (rng, i) => {
      const end = logUniform(rng, MIN_MS, MAX_MS);
      const queuedUntil = end * uniform(rng, 0.1, 0.8);
      return stepped(`queued-${i}`, end, queuedUntil, stepTimes(rng, intBetween(rng, 20, 200), queuedUntil, end, 0.3));
    },
  },
  {
    name: 'opaque',
    description: 'Running with no progress and no steps until done',
    make: (rng, i) => {
      const end = logUniform(rng, MIN_MS, MAX_MS);
      return { id: `opaque-${i}`, queuedUntil: 0, stepEnds: [], end, reportsProgress: false };
    },
  },
];

/** The jobs of a workload, the same for every policy. */
export function jobsOf(workload: Workload, workloadIndex: number, count: number, seed: number): SimJob[] {
  const jobs: SimJob[] = [];
  for (let i = 0; i < count; i++) jobs.push(workload.make(mulberry32(seedOf(seed, workloadIndex, i)), i));
  return jobs;
}

/** Number of steps completed at `t` (binary search). */
function completedAt(stepEnds: readonly number[], t: number): number {
  let lo = 0;
  let hi = stepEnds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (stepEnds[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * What `GET job/{id}` answers at instant `t`, decoded. Like the guide's example, `job_progress` is
 * sent with two decimals ("0.33") while the step counts are exact.
 */
export function statusAt(job: SimJob, t: number): JobStatus {
  const n = job.stepEnds.length;
  if (t >= job.end) {
    return job.reportsProgress
      ? { jobId: job.id, status: 'Completed', message: 'Job completed successfully.', progress: 1, completedSteps: n, totalSteps: n }
      : { jobId: job.id, status: 'Completed', message: 'Job completed successfully.', progress: undefined, completedSteps: undefined, totalSteps: undefined };
  }
  if (t < job.queuedUntil) {
    return { jobId: job.id, status: 'Queued', message: undefined, progress: undefined, completedSteps: undefined, totalSteps: undefined };
  }
  if (!job.reportsProgress) {
    return { jobId: job.id, status: 'Running', message: undefined, progress: undefined, completedSteps: undefined, totalSteps: undefined };
  }
  const k = completedAt(job.stepEnds, t);
  return { jobId: job.id, status: 'Running', message: undefined, progress: Math.floor((100 * k) / n) / 100, completedSteps: k, totalSteps: n };
}
