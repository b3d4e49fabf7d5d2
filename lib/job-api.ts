/**
 * JobApi: the three job requests the poll loop needs, as cold observables. NucleusClient implements
 * it over HTTP; tests hand AsyncJob a fake. Each subscription makes one request (after the
 * transport's own retries of transient failures) and aborts it on unsubscribe.
 */
import type { Observable } from 'rxjs';
import type { JobInfo, JobStatus } from './codecs/job.js';

export interface JobApi {
  /** `GET job/{id}`, decoded. */
  getStatus(jobId: string): Observable<JobStatus>;
  /** `GET job/{id}/errors`: the 10,000 most recent error strings. */
  getErrors(jobId: string): Observable<readonly string[]>;
  /** `GET job/{id}/info`, decoded. */
  getInfo(jobId: string): Observable<JobInfo>;
}
