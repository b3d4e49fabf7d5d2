import type { Observable, ObservableInput, OperatorFunction } from 'rxjs';
import { concat, concatMap, defer, from, map, of } from '../rx.js';
import { AsyncJob } from '../async-job.js';
import { jobOf, registerSnapshot } from '../job-registry.js';
import type { JobSnapshot } from '../job-snapshot.js';
import { completeOrThrow, type CompleteOrThrowOptions } from './complete-or-throw.js';

/**
 * One step of a chain: a function that submits a job when called (e.g.
 * `() => dataset.append(items, { asynchronous: true })`, returning an Observable or a Promise), a cold
 * Observable that submits on subscription (`dataset.append(...)` itself), or an AsyncJob already
 * submitted. (A Promise is not a step: it would already be running.)
 */
export type JobStep = AsyncJob | Observable<AsyncJob> | (() => ObservableInput<AsyncJob>);

/** A snapshot of one step of a chain: which step (from 0) of how many. */
export interface StepSnapshot extends JobSnapshot {
  readonly step: number;
  readonly steps: number;
}

export type ConcatJobsOptions = CompleteOrThrowOptions;

function isOptions(u: unknown): u is ConcatJobsOptions {
  return typeof u === 'object' && u !== null && !(u instanceof AsyncJob) && typeof (u as { subscribe?: unknown }).subscribe !== 'function';
}

function tag(s: JobSnapshot, step: number, steps: number): StepSnapshot {
  const tagged: StepSnapshot = Object.freeze({ ...s, step, steps });
  const job = jobOf(s);
  return job ? registerSnapshot(tagged, job) : tagged;
}

function run(steps: readonly JobStep[], options: ConcatJobsOptions): Observable<StepSnapshot> {
  const n = steps.length;
  // Made once, here: a bad option throws before any step is submitted.
  const check = completeOrThrow<StepSnapshot>(options);
  return concat(
    ...steps.map((step, i) =>
      // `defer`: the step is submitted only when `concat` gets to it, i.e. after the previous one
      // completed; a failure errors `concat` and the later steps are never called.
      defer(() => (step instanceof AsyncJob ? of(step) : typeof step === 'function' ? from(step()) : step)).pipe(
        concatMap((job) => job.pipe(map((s) => tag(s, i, n)), check)),
      ),
    ),
  );
}

/**
 * Runs jobs strictly one after another: a step is not even submitted until the previous one reached a
 * successful terminal status. Emits every step's snapshots tagged with `step` and `steps`; completes
 * after the last step succeeded; a failed step ends the chain with its `JobError` (or
 * `JobCancelledError`), carrying its snapshot, job and first errors. Takes `completeOrThrow`'s options
 * as an optional last argument.
 *
 * ```text
 * submit a:             ^!
 * job a:                 -C|
 * submit b:               ^!                 (only after job a completed)
 * job b:                   -E|
 * errors of b:              ^!
 * submit c:                                  (never called)
 * concatJobs(a, b, c):  --C--#               (# JobError of step 1, with its errors)
 * ```
 *
 * ## Example
 * ```ts
 * import { concatJobs, progress } from 'nucleus-rx';
 * const dataset = client.dataset(datasetId);
 * concatJobs(
 *   () => dataset.append(items, { asynchronous: true }),
 *   () => dataset.annotate(annotations, { asynchronous: true }),
 * ).pipe(progress()).subscribe({ next: setBar, error: showJobError });
 * ```
 *
 * @see concatJobsWith for the pipeable form.
 */
export function concatJobs(...steps: JobStep[]): Observable<StepSnapshot>;
export function concatJobs(...stepsAndOptions: [...JobStep[], ConcatJobsOptions]): Observable<StepSnapshot>;
export function concatJobs(...args: (JobStep | ConcatJobsOptions)[]): Observable<StepSnapshot> {
  const last = args[args.length - 1];
  const options = args.length > 0 && isOptions(last) ? last : {};
  const steps = (options === last ? args.slice(0, -1) : args) as JobStep[];
  return run(steps, options);
}

/**
 * `concatJobs` as a pipeable operator: the source (an `Observable<AsyncJob>`, typically a job
 * submission) is the first step; the given steps follow it, each submitted only after the previous
 * one succeeded. So "append, then annotate" is one expression:
 *
 * ## Example
 * ```ts
 * dataset.append(items, { asynchronous: true })
 *   .pipe(concatJobsWith(() => dataset.annotate(annotations, { asynchronous: true })))
 *   .subscribe(render);
 * ```
 */
export function concatJobsWith(...steps: JobStep[]): OperatorFunction<AsyncJob, StepSnapshot>;
export function concatJobsWith(...stepsAndOptions: [...JobStep[], ConcatJobsOptions]): OperatorFunction<AsyncJob, StepSnapshot>;
export function concatJobsWith(...args: (JobStep | ConcatJobsOptions)[]): OperatorFunction<AsyncJob, StepSnapshot> {
  return (source) => (concatJobs as (...a: (JobStep | ConcatJobsOptions)[]) => Observable<StepSnapshot>)(() => source, ...args);
}
