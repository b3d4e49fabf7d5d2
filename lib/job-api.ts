/**
 * JobApi: the three job requests the poll loop needs, as cold observables. NucleusClient implements
 * it over HTTP; tests hand AsyncJob a fake. Each subscription makes one request (after the
 * transport's own retries of transient failures) and aborts it on unsubscribe.
 */
import type { Observable } from 'rxjs';
import type { JobInfo, JobStatus } from './codecs/job.js';

/** How a job request is made. */
export interface JobRequestOptions {
  /**
   * A poll of a watched job (`AsyncJob`'s status polls and live `errors$`), not a request someone
   * waits on: under `NucleusClient`'s cap on requests in flight, it waits behind every request that
   * is not background. An implementation without a queue may ignore it; one that wraps a
   * `NucleusClient` should pass it on.
   */
  readonly background?: boolean;
}

export interface JobApi {
  /** `GET job/{id}`, decoded. */
  getStatus(jobId: string, options?: JobRequestOptions): Observable<JobStatus>;
  /** `GET job/{id}/errors`: the 10,000 most recent error strings. */
  getErrors(jobId: string, options?: JobRequestOptions): Observable<readonly string[]>;
  /** `GET job/{id}/info`, decoded. */
  getInfo(jobId: string): Observable<JobInfo>;
}
