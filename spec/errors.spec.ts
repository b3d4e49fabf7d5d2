import { expect } from 'chai';
import { inspect } from 'node:util';
import { EMPTY } from 'rxjs';
import { AsyncJob } from '../lib/async-job.js';
import {
  ApiError,
  ConnectionError,
  DecodeError,
  JobCancelledError,
  JobError,
  JobTimeoutError,
  NotFoundError,
  RateLimitError,
  RequestTimeoutError,
  isApiError,
  isJobCancelledError,
  isJobError,
  isJobTimeoutError,
  isNotFoundError,
  isNucleusError,
  isTransientError,
} from '../lib/errors.js';
import { parseJobErrorLine } from '../lib/job-error-record.js';
import { toSnapshot } from '../lib/job-snapshot.js';

describe('errors', () => {
  it('ApiError.from picks the subclass from the status and the guards see through it', () => {
    const e = ApiError.from({ status: 404, method: 'GET', route: 'job/job_1', requestId: 'r1', bodyExcerpt: 'no such job' });
    expect(e).to.be.instanceOf(NotFoundError);
    expect(e.name).to.equal('NotFoundError');
    expect(isNotFoundError(e) && isApiError(e) && isNucleusError(e)).to.equal(true);
    expect(e.message).to.equal('GET job/job_1 answered 404: no such job (request id r1)');
    expect(String(e)).to.equal('NotFoundError: GET job/job_1 answered 404: no such job (request id r1)');
    expect(ApiError.from({ status: 429, method: 'GET', route: 'x' })).to.be.instanceOf(RateLimitError);
    expect(isApiError(new Error('x'))).to.equal(false);
  });

  it('serialises its public fields and hides io-ts internals', () => {
    const e = new DecodeError({ route: 'job/j', paths: ['status'], errors: [] });
    const json = JSON.parse(JSON.stringify(e));
    expect(json).to.deep.equal({ name: 'DecodeError', message: 'Answer of job/j is malformed at status', route: 'job/j', paths: ['status'], notJson: false });
    expect(inspect(e)).to.contain('DecodeError');
  });
});

describe('job errors', () => {
  const snapshot = toSnapshot('job_1', { jobId: 'job_1', status: 'Errored_User', message: 'failed', progress: undefined, completedSteps: undefined, totalSteps: undefined }, 5);
  const record = parseJobErrorLine('{"annotation":{"referenceId":"bad_ref_id"},"error":"Item with id bad_ref_id doesn\'t exist."}');

  it('JobError carries the snapshot and records, hides the job from JSON and inspect', () => {
    const secretApi = { getStatus: () => EMPTY, getErrors: () => EMPTY, getInfo: () => EMPTY, key: 'sk_live_secret' };
    const job = new AsyncJob({ jobId: 'job_1', jobType: 'uploadAnnotations', lastKnownStatus: 'Running', createdAt: 'x' }, secretApi);
    const e = new JobError({ snapshot, errors: [record], job });
    expect(isJobError(e)).to.equal(true);
    expect(isNucleusError(e)).to.equal(true);
    expect(isJobCancelledError(e)).to.equal(false);
    expect(e.job).to.equal(job);
    expect(e.name).to.equal('JobError');
    expect(e.message).to.equal("Job job_1 ended Errored_User: failed (first error: Item with id bad_ref_id doesn't exist.)");
    const json = JSON.stringify(e);
    expect(JSON.parse(json)).to.include({ name: 'JobError', jobId: 'job_1', status: 'Errored_User' });
    expect(JSON.parse(json).errors[0].referenceId).to.equal('bad_ref_id');
    expect(json).to.not.include('sk_live_secret');
    expect(inspect(e, { depth: 10 })).to.not.include('sk_live_secret');
  });

  it('JobCancelledError is distinct from JobError', () => {
    const e = new JobCancelledError({ snapshot: { ...snapshot, status: 'Cancelled', phase: 'cancelled' } });
    expect(isJobCancelledError(e)).to.equal(true);
    expect(isJobError(e)).to.equal(false);
    expect(e.message).to.equal('Job job_1 was cancelled');
  });

  it('JobTimeoutError names the job, the wait and the last status', () => {
    const e = new JobTimeoutError({ jobId: 'job_1', maxWaitMs: 1000, lastSnapshot: snapshot });
    expect(isJobTimeoutError(e)).to.equal(true);
    expect(e.message).to.equal('Job job_1 did not finish within 1000 ms (last status Errored_User)');
  });

  it('isTransientError: no answer, 5xx and 429 are transient; the rest is permanent', () => {
    const init = { method: 'GET', route: 'job/x' };
    expect(isTransientError(new ConnectionError(init))).to.equal(true);
    expect(isTransientError(new RequestTimeoutError({ ...init, timeoutMs: 1 }))).to.equal(true);
    expect(isTransientError(ApiError.from({ ...init, status: 503 }))).to.equal(true);
    expect(isTransientError(ApiError.from({ ...init, status: 429 }))).to.equal(true);
    for (const status of [400, 401, 403, 404, 422]) expect(isTransientError(ApiError.from({ ...init, status }))).to.equal(false);
    expect(isTransientError(new DecodeError({ route: 'job/x', paths: [] }))).to.equal(false);
    // An answer that is not JSON at all (a maintenance page served with 200) says nothing: transient.
    expect(isTransientError(new DecodeError({ route: 'job/x', paths: [], notJson: true }))).to.equal(true);
    expect(isTransientError(new TypeError('bug'))).to.equal(false);
  });
});
