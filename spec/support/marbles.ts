/**
 * Test support: a TestScheduler whose deep equality also compares errors (chai compares Error
 * objects by reference) by kind and public fields, and a fake JobApi made of cold observables.
 */
import { expect } from 'chai';
import { throwError, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { JobInfo, JobStatus } from '../../lib/codecs/job.js';
import type { JobApi, JobRequestOptions } from '../../lib/job-api.js';
import { toSnapshot, type JobSnapshot } from '../../lib/job-snapshot.js';

function normalize(u: unknown): unknown {
  if (u instanceof Error) {
    const own = Object.fromEntries(Object.entries(u).map(([k, v]) => [k, normalize(v)]));
    return { error: u.name, message: u.message, ...own };
  }
  if (Array.isArray(u)) return u.map(normalize);
  if (typeof u === 'object' && u !== null) {
    return Object.fromEntries(Object.entries(u).map(([k, v]) => [k, normalize(v)]));
  }
  return u;
}

export function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => {
    expect(normalize(actual)).to.deep.equal(normalize(expected));
  });
}

export const JOB_ID = 'job_c19xcf9mkws46gah0000';

export const INFO: JobInfo = Object.freeze({
  jobId: JOB_ID,
  lastKnownStatus: 'Queued',
  jobType: 'uploadDatasetItems',
  createdAt: '2026-11-28T10:00:00Z',
});

/** A decoded `GET job/{id}` answer. */
export function status(s: string, more: Partial<JobStatus> = {}): JobStatus {
  return { jobId: JOB_ID, status: s, message: undefined, progress: undefined, completedSteps: undefined, totalSteps: undefined, ...more };
}

/** The snapshot AsyncJob builds from `st` observed at virtual time `at`. */
export function snap(st: JobStatus, at: number, jobId = JOB_ID): JobSnapshot {
  return toSnapshot(jobId, st, at);
}

/**
 * A JobApi whose n-th `getStatus` call returns `statuses[n]` (the last one again once exhausted),
 * likewise `getErrors`. Counts the calls.
 */
export class FakeApi implements JobApi {
  statusCalls = 0;
  errorsCalls = 0;
  infoCalls = 0;
  /** Whether each status (errors) request was asked as `background`, in order. */
  readonly statusBackground: boolean[] = [];
  readonly errorsBackground: boolean[] = [];
  constructor(
    public statuses: readonly Observable<JobStatus>[],
    public errorLists: readonly Observable<readonly string[]>[] = [],
    public infos: readonly Observable<JobInfo>[] = [],
  ) {}

  private static pick<T>(list: readonly Observable<T>[], n: number, what: string): Observable<T> {
    const o = list[Math.min(n, list.length - 1)];
    return o ?? throwError(() => new Error(`FakeApi: no ${what} answer configured`));
  }
  getStatus(_jobId: string, options?: JobRequestOptions): Observable<JobStatus> {
    this.statusBackground.push(options?.background ?? false);
    return FakeApi.pick(this.statuses, this.statusCalls++, 'status');
  }
  getErrors(_jobId: string, options?: JobRequestOptions): Observable<readonly string[]> {
    this.errorsBackground.push(options?.background ?? false);
    return FakeApi.pick(this.errorLists, this.errorsCalls++, 'errors');
  }
  getInfo(): Observable<JobInfo> {
    return FakeApi.pick(this.infos, this.infoCalls++, 'info');
  }
}
