import { expect } from 'chai';
import { of, tap } from 'rxjs';
import { AsyncJob } from '../../lib/async-job.js';
import type { JobInfo } from '../../lib/codecs/job.js';
import { ConfigurationError, JobError, isJobError } from '../../lib/errors.js';
import { parseJobErrorLine } from '../../lib/job-error-record.js';
import type { JobSnapshot } from '../../lib/job-snapshot.js';
import { concatJobs, concatJobsWith, type StepSnapshot } from '../../lib/operators/concat-jobs.js';
import { FakeApi, INFO, snap, status, testScheduler } from '../support/marbles.js';

const ID2 = 'job_2';
const INFO2: JobInfo = { ...INFO, jobId: ID2, jobType: 'uploadAnnotations' };
const R = status('Running', { progress: 0.5 });
const C = status('Completed');
const C2 = status('Completed', { jobId: ID2 });
const EU2 = status('Errored_User', { jobId: ID2 });
const LINE = '{"annotation":{"referenceId":"bad_ref_id"},"error":"Item with id bad_ref_id doesn\'t exist."}';
const every = (ms: number) => () => ms;

const tagged = (s: JobSnapshot, step: number, steps: number): StepSnapshot => ({ ...s, step, steps });

describe('concatJobs', () => {
  it('submits each step only after the previous one completed, tagging snapshots with their step', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const job1 = new AsyncJob(INFO, new FakeApi([cold('-(r|)', { r: R }), cold('-(c|)', { c: C })]), { scheduler: ts, policy: every(3) });
      const job2 = new AsyncJob(INFO2, new FakeApi([cold('-(c|)', { c: C2 })]), { scheduler: ts, policy: every(3) });
      const submit1 = cold('--(j|)', { j: job1 });
      const submit2 = cold('--(j|)', { j: job2 });
      const chain = concatJobs(
        () => submit1,
        () => submit2,
      );
      expectObservable(chain).toBe('--- a 3ms b 2ms (c|)', {
        a: tagged(snap(R, 3), 0, 2),
        b: tagged(snap(C, 7), 0, 2),
        c: tagged(snap(C2, 10, ID2), 1, 2),
      });
      expectSubscriptions(submit1.subscriptions).toBe('^-!');
      expectSubscriptions(submit2.subscriptions).toBe('7ms ^-!');
    });
  });

  it('ends the chain with the failed step\'s JobError and never submits the next steps', () => {
    const ts = testScheduler();
    let calls = 0;
    let caught: unknown;
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const job1 = new AsyncJob(INFO, new FakeApi([cold('-(c|)', { c: C })]), { scheduler: ts });
      const errors = cold('-(l|)', { l: [LINE] });
      const job2 = new AsyncJob(INFO2, new FakeApi([cold('-(e|)', { e: EU2 })], [errors]), { scheduler: ts });
      const submit1 = cold('-(j|)', { j: job1 });
      const submit2 = cold('-(j|)', { j: job2 });
      const submit3 = cold('-(j|)', { j: job1 });
      const chain = concatJobs(
        () => submit1,
        () => submit2,
        () => (calls++, submit3),
      );
      const failed = tagged(snap(EU2, 4, ID2), 1, 3);
      expectObservable(chain.pipe(tap({ error: (e: unknown) => (caught = e) }))).toBe('--a--#', { a: tagged(snap(C, 2), 0, 3) }, new JobError({ snapshot: failed, errors: [parseJobErrorLine(LINE)] }));
      expectSubscriptions(submit2.subscriptions).toBe('2ms ^!');
      expectSubscriptions(errors.subscriptions).toBe('4ms ^!');
      expectSubscriptions(submit3.subscriptions).toBe([]);
    });
    expect(calls).to.equal(0);
    if (!isJobError(caught)) return expect.fail('no JobError');
    expect(caught.jobId).to.equal(ID2);
    expect((caught.snapshot as StepSnapshot).step).to.equal(1);
    expect(caught.errors[0]?.referenceId).to.equal('bad_ref_id');
  });

  it('stops the current job and submits nothing more when unsubscribed', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const status1 = cold('-(r|)', { r: R });
      const job1 = new AsyncJob(INFO, new FakeApi([status1]), { scheduler: ts, policy: every(3) });
      const submit2 = cold('-(j|)', { j: job1 });
      expectObservable(
        concatJobs(job1, () => submit2),
        '^ 5ms !',
      ).toBe('-a', { a: tagged(snap(R, 1), 0, 2) });
      expectSubscriptions(status1.subscriptions).toBe(['^!', '4ms ^!']);
      expectSubscriptions(submit2.subscriptions).toBe([]);
    });
  });

  it('takes cold submissions as steps, subscribing each only when its turn comes', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const job1 = new AsyncJob(INFO, new FakeApi([cold('-(c|)', { c: C })]), { scheduler: ts });
      const job2 = new AsyncJob(INFO2, new FakeApi([cold('-(c|)', { c: C2 })]), { scheduler: ts });
      const append = cold('--(j|)', { j: job1 });
      const annotate = cold('--(j|)', { j: job2 });
      expectObservable(concatJobs(append, annotate)).toBe('---a--(b|)', {
        a: tagged(snap(C, 3), 0, 2),
        b: tagged(snap(C2, 6, ID2), 1, 2),
      });
      expectSubscriptions(append.subscriptions).toBe('^-!');
      expectSubscriptions(annotate.subscriptions).toBe('3ms ^-!');
    });
  });

  it('accepts completeOrThrow options last', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectObservable }) => {
      const EP = status('Errored_Partial');
      const job1 = new AsyncJob(INFO, new FakeApi([cold('-(p|)', { p: EP })]), { scheduler: ts });
      const job2 = new AsyncJob(INFO2, new FakeApi([cold('-(c|)', { c: C2 })]), { scheduler: ts });
      expectObservable(concatJobs(job1, job2, { acceptPartial: true })).toBe('-a(b|)', {
        a: tagged(snap(EP, 1), 0, 2),
        b: tagged(snap(C2, 2, ID2), 1, 2),
      });
    });
  });

  it('refuses a bad errorsLimit before submitting any step', () => {
    let submitted = 0;
    const step = () => {
      submitted++;
      return of(new AsyncJob(INFO, new FakeApi([of(C)])));
    };
    expect(() => concatJobs(step, step, { errorsLimit: 0.5 })).to.throw(ConfigurationError, /errorsLimit/);
    expect(() => of(new AsyncJob(INFO, new FakeApi([of(C)]))).pipe(concatJobsWith(step, { errorsLimit: -1 }))).to.throw(ConfigurationError, /errorsLimit/);
    expect(submitted).to.equal(0);
  });

  it('completes at once with no steps', () => {
    const ts = testScheduler();
    ts.run(({ expectObservable }) => {
      expectObservable(concatJobs()).toBe('|');
    });
  });

  it('accepts steps returning promises', async () => {
    const job1 = new AsyncJob(INFO, new FakeApi([of(R), of(C)]), { policy: every(0) });
    const job2 = new AsyncJob(INFO2, new FakeApi([of(C2)]), { policy: every(0) });
    const seen: StepSnapshot[] = [];
    await new Promise<void>((resolve, reject) =>
      concatJobs(
        () => Promise.resolve(job1),
        () => Promise.resolve(job2),
      ).subscribe({ next: (s) => seen.push(s), error: reject, complete: resolve }),
    );
    expect(seen.map((s) => [s.step, s.jobId, s.status])).to.deep.equal([
      [0, INFO.jobId, 'Running'],
      [0, INFO.jobId, 'Completed'],
      [1, ID2, 'Completed'],
    ]);
  });
});

describe('concatJobsWith', () => {
  it('makes the source the first step', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const job1 = new AsyncJob(INFO, new FakeApi([cold('-(c|)', { c: C })]), { scheduler: ts });
      const job2 = new AsyncJob(INFO2, new FakeApi([cold('-(c|)', { c: C2 })]), { scheduler: ts });
      const append = cold('--(j|)', { j: job1 });
      const annotate = cold('--(j|)', { j: job2 });
      expectObservable(append.pipe(concatJobsWith(() => annotate))).toBe('---a--(b|)', {
        a: tagged(snap(C, 3), 0, 2),
        b: tagged(snap(C2, 6, ID2), 1, 2),
      });
      expectSubscriptions(append.subscriptions).toBe('^-!');
      expectSubscriptions(annotate.subscriptions).toBe('3ms ^-!');
    });
  });
});
