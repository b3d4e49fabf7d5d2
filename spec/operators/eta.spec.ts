import { expect } from 'chai';
import { estimateEta } from '../../lib/eta.js';
import { eta } from '../../lib/operators/eta.js';
import { snap, status, testScheduler } from '../support/marbles.js';

const R0 = snap(status('Running', { completedSteps: 0, totalSteps: 4 }), 0);
const A = snap(status('Running', { completedSteps: 1, totalSteps: 4 }), 10_000);
const B = snap(status('Running', { completedSteps: 2, totalSteps: 4 }), 20_000);
const C = snap(status('Completed', { completedSteps: 4, totalSteps: 4 }), 40_000);
const Q = snap(status('Queued'), 0);

describe('eta', () => {
  it('estimates from the snapshots seen so far, undefined until progress moved and once over', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const s = cold('-r-a-b-c|', { r: R0, a: A, b: B, c: C });
      expectObservable(s.pipe(eta())).toBe('-u-e-f-u|', {
        u: undefined,
        e: estimateEta([R0, A]),
        f: estimateEta([R0, A, B]),
      });
      expectSubscriptions(s.subscriptions).toBe('^-------!');
    });
    expect(estimateEta([R0, A])!.at).to.equal(40_000);
    expect(estimateEta([R0, A, B])!.uncertainty).to.be.lessThan(estimateEta([R0, A])!.uncertainty);
  });

  it('gives nothing for a queued job and keeps one history per subscription', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectObservable }) => {
      const s = cold('-q-r-a|', { q: Q, r: R0, a: A });
      const e = s.pipe(eta());
      expectObservable(e).toBe('-u-u-e|', { u: undefined, e: estimateEta([Q, R0, A]) });
      expectObservable(e).toBe('-u-u-e|', { u: undefined, e: estimateEta([Q, R0, A]) });
    });
  });

  it('starts a history of its own for each job of a chain (concatJobs steps)', () => {
    // Step 0 (job_1) took 40 s; step 1 (job_2) starts at 50 s and reaches 1/4 at 55 s.
    const other = (s: typeof R0, at: number) => ({ ...s, jobId: 'job_2', observedAt: at });
    const R2 = other(R0, 50_000);
    const A2 = other(A, 55_000);
    const ts = testScheduler();
    ts.run(({ cold, expectObservable }) => {
      const s = cold('-r-a-b-c-x-y|', { r: R0, a: A, b: B, c: C, x: R2, y: A2 });
      expectObservable(s.pipe(eta())).toBe('-u-e-f-u-u-g|', {
        u: undefined,
        e: estimateEta([R0, A]),
        f: estimateEta([R0, A, B]),
        g: estimateEta([R2, A2]),
      });
    });
    expect(estimateEta([R2, A2])!.at).to.equal(70_000);
  });

  it('starts a new history when the job changes, even before a terminal snapshot', () => {
    const R2 = { ...R0, jobId: 'job_2', observedAt: 30_000 };
    const A2 = { ...A, jobId: 'job_2', observedAt: 35_000 };
    const ts = testScheduler();
    ts.run(({ cold, expectObservable }) => {
      const s = cold('-r-a-x-y|', { r: R0, a: A, x: R2, y: A2 });
      expectObservable(s.pipe(eta())).toBe('-u-e-u-g|', { u: undefined, e: estimateEta([R0, A]), g: estimateEta([R2, A2]) });
    });
  });

  it('passes errors through and unsubscribes from the source', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const s = cold('-r-#', { r: R0 });
      expectObservable(s.pipe(eta())).toBe('-u-#', { u: undefined });
      expectSubscriptions(s.subscriptions).toBe('^--!');
    });
  });
});
