import type { OperatorFunction } from 'rxjs';
import { distinctUntilChanged, filter, map } from '../rx.js';
import type { JobSnapshot } from '../job-snapshot.js';

/** A snapshot tagged with its place in a chain of jobs (see `concatJobs`). */
interface Stepped {
  readonly step: number;
  readonly steps: number;
}

function isStepped(s: JobSnapshot): s is JobSnapshot & Stepped {
  const t = s as Partial<Stepped>;
  return typeof t.step === 'number' && typeof t.steps === 'number' && t.steps > 0;
}

/**
 * A snapshot's progress in 0..1, `undefined` when unknown. `Completed` is 1. For a `concatJobs` step
 * it is the progress of the whole chain: `(step + stepProgress) / steps`, an unknown step progress
 * counting as 0.
 */
export function progressOf(s: JobSnapshot): number | undefined {
  const own = s.phase === 'succeeded' ? 1 : s.progress;
  if (isStepped(s)) return Math.min(1, Math.max(0, (s.step + (own ?? 0)) / s.steps));
  return own;
}

/**
 * The progress of a job (or of a `concatJobs` chain) as a stream of numbers in 0..1, without repeats
 * and skipping snapshots whose progress is unknown: feed it to a progress bar.
 *
 * ```text
 * snapshots:   -q-a-b-d-C|     q: Queued (no progress), a: 0.25, b and d: 0.5, C: Completed
 * progress():  ---a-b---C|     0.25, 0.5, 1
 * ```
 *
 * ## Example
 * ```ts
 * import { progress } from 'nucleus-rx';
 * job.pipe(progress()).subscribe((p) => (bar.value = p));
 * ```
 */
export function progress(): OperatorFunction<JobSnapshot, number> {
  return (source) =>
    source.pipe(
      map(progressOf),
      filter((p): p is number => p !== undefined),
      distinctUntilChanged(),
    );
}
