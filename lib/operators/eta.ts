import type { OperatorFunction } from 'rxjs';
import { map, scan } from '../rx.js';
import { estimateEta, type Eta } from '../eta.js';
import { remember, type JobSnapshot } from '../job-snapshot.js';

/** Options of the `eta` operator. */
export interface EtaOperatorOptions {
  /** Relative spread assumed for the length of one step (default 0.3); see `estimateEta`. */
  readonly stepSpread?: number;
}

/**
 * The estimated time of arrival of a job, re-estimated at every snapshot.
 *
 * Maps each snapshot to `estimateEta` of the snapshots seen so far (as of that snapshot's
 * `observedAt`): an `Eta` once the job has made measurable progress, `undefined` while it is queued,
 * reports nothing, has not moved yet, or is over. Each subscription keeps its own history, started
 * anew when the snapshots turn to another job (the steps of `concatJobs` are estimated one by
 * one).
 *
 * ```text
 * snapshots: -r-a-b-C|   r: Running 0/4 steps (t=0), a: 1/4 (t=10 s), b: 2/4 (t=20 s), C: Completed
 * eta():     -u-e-f-u|   u: undefined, e: at 40 s, f: at 40 s (more certain)
 * ```
 *
 * ## Example
 * ```ts
 * import { eta } from 'nucleus-rx';
 * job.pipe(eta()).subscribe((e) => {
 *   label.textContent = e ? `about ${Math.round((e.at - Date.now()) / 1000)} s left` : '';
 * });
 * ```
 *
 * @param options Optional `stepSpread`.
 * @return A function that returns an Observable of `Eta | undefined`, one per source snapshot.
 */
export function eta(options: EtaOperatorOptions = {}): OperatorFunction<JobSnapshot, Eta | undefined> {
  const stepSpread = options.stepSpread;
  return (source) =>
    source.pipe(
      // Another job (the next step of `concatJobs`) starts a history of its own.
      scan((history, s) => remember(history[0]?.jobId === s.jobId ? history : [], s), [] as readonly JobSnapshot[]),
      map((history) => estimateEta(history, { now: history[history.length - 1]!.observedAt, stepSpread })),
    );
}
