/**
 * Codecs of the job answers: `GET job/{id}` (status) and the job-info object that `GET job/{id}/info`,
 * `POST jobs/` and every job-starting operation answer with.
 *
 * They decode the wire format, quirks included, into normalised camelCase values:
 * numbers may be strings, `total_steps` may be spelled `"total_steps:"`, `message` may be a string
 * or an object, and status strings unknown today are kept as they are.
 */
import * as t from './io-ts.js';
import { Numeric } from './numeric.js';

/** `E.map` of a validation, without pulling fp-ts's Either module into the bundle. */
function mapRight<A, B>(v: t.Validation<A>, f: (a: A) => B): t.Validation<B> {
  return v._tag === 'Left' ? v : t.success(f(v.right));
}

// ---------------------------------------------------------------------------------------------
// job status
// ---------------------------------------------------------------------------------------------

/** A job's message: usually text, an object for some job types (e.g. `{ result: [url, ...] }`). */
export const JobMessage = /*#__PURE__*/ t.union([t.string, t.UnknownRecord]);
export type JobMessage = t.TypeOf<typeof JobMessage>;

const JobStatusWire = /*#__PURE__*/ t.intersection([
  /*#__PURE__*/ t.type({ status: t.string }),
  /*#__PURE__*/ t.partial({
    job_id: t.string,
    message: /*#__PURE__*/ t.union([JobMessage, t.null]),
    job_progress: Numeric,
    completed_steps: Numeric,
    total_steps: Numeric,
    'total_steps:': Numeric,
  }),
]);

/** The answer of `GET job/{id}`, normalised. */
export interface JobStatus {
  /** Present when the server sent it (it always does today). */
  readonly jobId: string | undefined;
  /** The raw status string: `Queued`, `Running`, `Completed`, `Errored_User`, ... or a future one. */
  readonly status: string;
  readonly message: JobMessage | undefined;
  /** `job_progress`, as sent: usually 0..1. */
  readonly progress: number | undefined;
  readonly completedSteps: number | undefined;
  readonly totalSteps: number | undefined;
}

export const JobStatus = /*#__PURE__*/ new t.Type<JobStatus, unknown, unknown>(
  'JobStatus',
  (u): u is JobStatus => typeof u === 'object' && u !== null && typeof (u as JobStatus).status === 'string',
  (u, c) =>
    mapRight(
      JobStatusWire.validate(u, c),
      (w): JobStatus => ({
        jobId: w.job_id,
        status: w.status,
        message: w.message ?? undefined,
        progress: w.job_progress,
        completedSteps: w.completed_steps,
        totalSteps: w.total_steps ?? w['total_steps:'],
      }),
    ),
  (a) => ({
    job_id: a.jobId,
    status: a.status,
    message: a.message,
    job_progress: a.progress === undefined ? undefined : String(a.progress),
    completed_steps: a.completedSteps === undefined ? undefined : String(a.completedSteps),
    total_steps: a.totalSteps === undefined ? undefined : String(a.totalSteps),
  }),
);

// ---------------------------------------------------------------------------------------------
// job info
// ---------------------------------------------------------------------------------------------

const JobInfoWire = /*#__PURE__*/ t.type({
  job_id: t.string,
  job_last_known_status: t.string,
  job_type: t.string,
  job_creation_time: t.string,
});

/** What every job-starting operation, `GET job/{id}/info` and `POST jobs/` answer, normalised. */
export interface JobInfo {
  readonly jobId: string;
  readonly lastKnownStatus: string;
  readonly jobType: string;
  /** ISO-8601 creation time, as sent. */
  readonly createdAt: string;
}

export const JobInfo = /*#__PURE__*/ new t.Type<JobInfo, unknown, unknown>(
  'JobInfo',
  (u): u is JobInfo => typeof u === 'object' && u !== null && typeof (u as JobInfo).jobId === 'string',
  (u, c) =>
    mapRight(
      JobInfoWire.validate(u, c),
      (w): JobInfo => ({
        jobId: w.job_id,
        lastKnownStatus: w.job_last_known_status,
        jobType: w.job_type,
        createdAt: w.job_creation_time,
      }),
    ),
  (a) => ({
    job_id: a.jobId,
    job_last_known_status: a.lastKnownStatus,
    job_type: a.jobType,
    job_creation_time: a.createdAt,
  }),
);

/** The answer of `POST jobs/`. */
export const JobInfoList = /*#__PURE__*/ t.array(JobInfo);

/** The answer of `GET job/{id}/errors`: the 10,000 most recent error strings. */
export const JobErrorLines = /*#__PURE__*/ t.array(t.string);
