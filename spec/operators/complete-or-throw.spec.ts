import { expect } from 'chai';
import { tap } from 'rxjs';
import { AsyncJob } from '../../lib/async-job.js';
import { ConfigurationError, ConnectionError, JobCancelledError, JobError, ServerError, isJobError } from '../../lib/errors.js';
import { parseJobErrorLine } from '../../lib/job-error-record.js';
import { completeOrThrow } from '../../lib/operators/complete-or-throw.js';
import { FakeApi, INFO, snap, status, testScheduler } from '../support/marbles.js';

const Q = status('Queued');
const R = status('Running', { progress: 0.5 });
const C = status('Completed');
const EU = status('Errored_User', { message: 'Some annotations failed.' });
const EP = status('Errored_Partial');
const X = status('Cancelled');
const LINES = [
  '{"annotation":{"referenceId":"bad_ref_id","annotationId":"a1"},"error":"Item with id bad_ref_id doesn\'t exist."}',
  '{"annotation":{"referenceId":"bad_2"},"error":"Item with id bad_2 doesn\'t exist."}',
  'third',
];
const every = (ms: number) => () => ms;

describe('completeOrThrow', () => {
  it('passes snapshots through and completes after Completed', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectObservable }) => {
      const job = new AsyncJob(INFO, new FakeApi([cold('-(q|)', { q: Q }), cold('-(r|)', { r: R }), cold('-(c|)', { c: C })]), {
        scheduler: ts,
        policy: every(5),
      });
      expectObservable(job.pipe(completeOrThrow())).toBe('- a 5ms b 5ms (c|)', { a: snap(Q, 1), b: snap(R, 7), c: snap(C, 13) });
    });
  });

  it('turns a failed terminal snapshot into a JobError carrying the snapshot, the job and its first errors', () => {
    const ts = testScheduler();
    let job!: AsyncJob;
    let caught: unknown;
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const errors = cold('--(l|)', { l: LINES });
      job = new AsyncJob(INFO, new FakeApi([cold('-(r|)', { r: R }), cold('-(e|)', { e: EU })], [errors]), { scheduler: ts, policy: every(5) });
      const out = job.pipe(
        completeOrThrow({ errorsLimit: 2 }),
        tap({ error: (e: unknown) => (caught = e) }),
      );
      const expected = new JobError({ snapshot: snap(EU, 7), errors: LINES.slice(0, 2).map(parseJobErrorLine) });
      expectObservable(out).toBe('- a 7ms #', { a: snap(R, 1) }, expected);
      expectSubscriptions(errors.subscriptions).toBe('7ms ^-!');
    });
    if (!isJobError(caught)) return expect.fail('no JobError');
    expect(caught.job).to.equal(job);
    expect(caught.errors.map((r) => r.referenceId)).to.deep.equal(['bad_ref_id', 'bad_2']);
    expect(caught.message).to.equal("Job job_c19xcf9mkws46gah0000 ended Errored_User: Some annotations failed. (first error: Item with id bad_ref_id doesn't exist.)");
    // Safe to log: the job (and the client behind it) stays out of JSON.
    expect(Object.keys(JSON.parse(JSON.stringify(caught)))).to.not.include('job');
  });

  it('takes 20 error records by default and none with errorsLimit 0', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const many = Array.from({ length: 30 }, (_, i) => `line ${i}`);
      const errors = cold('-(l|)', { l: many });
      const job = new AsyncJob(INFO, new FakeApi([cold('-(e|)', { e: EU })], [errors]), { scheduler: ts });
      expectObservable(job.pipe(completeOrThrow())).toBe('--#', {}, new JobError({ snapshot: snap(EU, 1), errors: many.slice(0, 20).map(parseJobErrorLine) }));
      expectObservable(job.pipe(completeOrThrow({ errorsLimit: 0 })), '5ms ^').toBe('5ms #', {}, new JobError({ snapshot: snap(EU, 1) }));
      expectSubscriptions(errors.subscriptions).toBe('1ms ^!');
    });
  });

  it('refuses an errorsLimit that is not a non-negative integer (or Infinity) when created', () => {
    for (const errorsLimit of [NaN, 0.5, -1, -Infinity, '5', null]) {
      expect(() => completeOrThrow({ errorsLimit } as never), String(errorsLimit)).to.throw(ConfigurationError, /errorsLimit must be a non-negative integer/);
    }
    for (const errorsLimit of [undefined, 0, 1, 10_000, Infinity]) expect(completeOrThrow({ errorsLimit })).to.be.a('function');
  });

  it('treats Errored_Partial as failed unless acceptPartial', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectObservable }) => {
      const job = new AsyncJob(INFO, new FakeApi([cold('-(p|)', { p: EP })], [cold('(l|)', { l: [] as string[] })]), { scheduler: ts });
      expectObservable(job.pipe(completeOrThrow())).toBe('-#', {}, new JobError({ snapshot: snap(EP, 1), errors: [] }));
      expectObservable(job.pipe(completeOrThrow({ acceptPartial: true }))).toBe('-(p|)', { p: snap(EP, 1) });
    });
  });

  it('turns Cancelled into a JobCancelledError without fetching errors', () => {
    const ts = testScheduler();
    const api = new FakeApi([]);
    ts.run(({ cold, expectObservable }) => {
      api.statuses = [cold('-(q|)', { q: Q }), cold('-(x|)', { x: X })];
      const job = new AsyncJob(INFO, api, { scheduler: ts, policy: every(2) });
      expectObservable(job.pipe(completeOrThrow())).toBe('- a 2ms #', { a: snap(Q, 1) }, new JobCancelledError({ snapshot: snap(X, 4) }));
    });
    expect(api.errorsCalls).to.equal(0);
  });

  it('still throws the JobError when fetching its errors fails, with that failure as cause', () => {
    const ts = testScheduler();
    const cause = new ConnectionError({ method: 'GET', route: 'job/x/errors' });
    ts.run(({ cold, expectObservable }) => {
      const job = new AsyncJob(INFO, new FakeApi([cold('-(e|)', { e: EU })], [cold<readonly string[]>('-#', {}, cause)]), { scheduler: ts });
      expectObservable(job.pipe(completeOrThrow())).toBe('--#', {}, new JobError({ snapshot: snap(EU, 1), cause }));
    });
  });

  it('works on snapshots that no job observed (no errors to fetch) and stops at the terminal one', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const s = cold('-a-b-c-', { a: snap(Q, 0), b: snap(EU, 0), c: snap(C, 0) });
      expectObservable(s.pipe(completeOrThrow())).toBe('-a-#', { a: snap(Q, 0) }, new JobError({ snapshot: snap(EU, 0) }));
      expectSubscriptions(s.subscriptions).toBe('^--!');
    });
  });

  it('passes an upstream error through', () => {
    const ts = testScheduler();
    const e = new ServerError({ status: 500, method: 'GET', route: 'x' });
    ts.run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-#', { a: snap(Q, 0) }, e).pipe(completeOrThrow())).toBe('-a-#', { a: snap(Q, 0) }, e);
    });
  });
});
