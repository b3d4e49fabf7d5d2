import { expect } from 'chai';
import { progress, progressOf } from '../../lib/operators/progress.js';
import { snap, status, testScheduler } from '../support/marbles.js';

const Q = status('Queued');
const A = status('Running', { progress: 0.25 });
const B = status('Running', { progress: 0.5, message: 'half' });
const B2 = status('Running', { progress: 0.5, message: 'still half' });
const C = status('Completed');

describe('progress', () => {
  it('emits known progress values, distinct, 1 on Completed', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const s = cold('-q-a-b-d-c|', { q: snap(Q, 0), a: snap(A, 0), b: snap(B, 0), d: snap(B2, 0), c: snap(C, 0) });
      expectObservable(s.pipe(progress())).toBe('---a-b---c|', { a: 0.25, b: 0.5, c: 1 });
      expectSubscriptions(s.subscriptions).toBe('^---------!');
    });
  });

  it('derives progress from steps when the server sends no job_progress', () => {
    expect(progressOf(snap(status('Running', { completedSteps: 1, totalSteps: 4 }), 0))).to.equal(0.25);
    expect(progressOf(snap(Q, 0))).to.equal(undefined);
  });

  it('gives a concatJobs chain\'s overall progress', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectObservable }) => {
      const s = cold('-a-b-c-d|', {
        a: { ...snap(Q, 0), step: 0, steps: 2 },
        b: { ...snap(B, 0), step: 0, steps: 2 },
        c: { ...snap(C, 0), step: 0, steps: 2 },
        d: { ...snap(A, 0), step: 1, steps: 2 },
      });
      expectObservable(s.pipe(progress())).toBe('-a-b-c-d|', { a: 0, b: 0.25, c: 0.5, d: 0.625 });
    });
  });
});
