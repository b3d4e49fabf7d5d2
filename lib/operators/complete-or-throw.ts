import type { MonoTypeOperatorFunction, Observable } from 'rxjs';
import { catchError, concatMap, map, of, take, throwError, toArray } from '../rx.js';
import { ConfigurationError, JobCancelledError, JobError } from '../errors.js';
import type { JobErrorRecord } from '../job-error-record.js';
import { jobOf } from '../job-registry.js';
import type { JobSnapshot } from '../job-snapshot.js';
import { takeUntilTerminal } from './take-until-terminal.js';

export interface CompleteOrThrowOptions {
  /** Treat `Errored_Partial` (partially completed) as success. Default false. */
  readonly acceptPartial?: boolean;
  /** How many error records to fetch into the JobError: an integer >= 0 or `Infinity`. Default 20; 0 fetches none. */
  readonly errorsLimit?: number;
}

/** The default number of error records a JobError carries. */
export const DEFAULT_ERRORS_LIMIT = 20;

/**
 * Passes a job's snapshots through and completes after a successful terminal one; a failed terminal
 * snapshot becomes a `JobError`, a `Cancelled` one a `JobCancelledError`, instead of being emitted.
 *
 * The `JobError` carries the final snapshot, the job, and its first error records, fetched through
 * the job that observed the snapshot (see `jobOf`), so handling it needs no further request.
 *
 * ```text
 * job:              --q--r--E|            (E: Errored_User)
 * errors request:            ---(x|)
 * completeOrThrow():--q--r-----#          (# JobError { snapshot: E, errors: [x] })
 *
 * job:              --q--r--C|            (C: Completed)
 * completeOrThrow():--q--r--C|
 * ```
 *
 * ## Example
 * ```ts
 * import { completeOrThrow, isJobError } from 'nucleus-rx';
 * job.pipe(completeOrThrow()).subscribe({
 *   next: (s) => render(s),
 *   error: (e) => isJobError(e) && console.error(e.errors.map((r) => r.referenceId)),
 * });
 * ```
 *
 * @param options `acceptPartial` to accept `Errored_Partial`; `errorsLimit` error records to attach.
 * @return A function that returns the snapshots, ending in completion or a typed error.
 * @throws ConfigurationError when `errorsLimit` is not an integer >= 0 or `Infinity` (NaN, 0.5, -1).
 */
export function completeOrThrow<S extends JobSnapshot>(options: CompleteOrThrowOptions = {}): MonoTypeOperatorFunction<S> {
  const { acceptPartial, errorsLimit: limit = DEFAULT_ERRORS_LIMIT } = options;
  // NaN or 0.5 would silently attach no error at all.
  if (!(limit >= 0 && (Number.isInteger(limit) || limit === Infinity))) {
    throw new ConfigurationError('errorsLimit must be a non-negative integer or Infinity');
  }
  return (source) =>
    source.pipe(
      takeUntilTerminal<S>(),
      concatMap((s): Observable<S> => {
        if (s.phase === 'pending' || s.phase === 'succeeded' || (acceptPartial && s.status === 'Errored_Partial')) return of(s);
        const job = jobOf(s);
        if (s.phase === 'cancelled') return throwError(() => new JobCancelledError({ snapshot: s, job }));
        if (job === undefined) return throwError(() => new JobError({ snapshot: s, job }));
        return job.errors$().pipe(
          // `take(0)` never subscribes: errorsLimit 0 sends no request.
          take(limit),
          toArray(),
          map((errors: JobErrorRecord[]) => new JobError({ snapshot: s, errors, job })),
          // The job failed either way: a failure to fetch its errors is attached, not substituted.
          catchError((cause: unknown) => of(new JobError({ snapshot: s, job, cause }))),
          concatMap((e) => throwError(() => e)),
        );
      }),
    );
}
