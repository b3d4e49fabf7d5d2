import { expect } from 'chai';
import { BehaviorSubject } from 'rxjs';
import { AsyncJob } from '../lib/async-job.js';
import { NotFoundError, RateLimitError, ServerError } from '../lib/errors.js';
import { parseJobErrorLine } from '../lib/job-error-record.js';
import type { PollState } from '../lib/polling-policy.js';
import { takeUnseen } from '../lib/live-errors.js';
import { FakeApi, INFO, JOB_ID, status, testScheduler } from './support/marbles.js';

const Q = status('Queued');
const C = status('Completed');
const rec = parseJobErrorLine;
const every = (ms: number) => () => ms;

describe('takeUnseen', () => {
  it('counts identical lines as a multiset', () => {
    const seen = new Map<string, number>();
    expect(takeUnseen(seen, ['x', 'y', 'x'])).to.deep.equal(['x', 'y', 'x']);
    expect(takeUnseen(seen, ['x', 'y', 'x'])).to.deep.equal([]);
    expect(takeUnseen(seen, ['x', 'x', 'y', 'x', 'z'])).to.deep.equal(['x', 'z']);
    expect(takeUnseen(seen, ['x'])).to.deep.equal([]);
    expect(Object.fromEntries(seen)).to.deep.equal({ x: 3, y: 1, z: 1 });
  });
});

describe('AsyncJob#errors$', () => {
  it('fetches once, emits one record per line, completes', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const e = cold('--(l|)', { l: ['a', '{"error":"b"}'] });
      const job = new AsyncJob(INFO, new FakeApi([], [e]), { scheduler: ts });
      expectObservable(job.errors$()).toBe('--(ab|)', { a: rec('a'), b: rec('{"error":"b"}') });
      expectSubscriptions(e.subscriptions).toBe('^-!');
    });
  });

  it('is cold: each subscription fetches, and unsubscribing aborts the fetch', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const e = cold('---(l|)', { l: ['a'] });
      const job = new AsyncJob(INFO, new FakeApi([], [e]), { scheduler: ts });
      expectObservable(job.errors$(), '^-!').toBe('');
      expectObservable(job.errors$(), '5ms ^').toBe('8ms (a|)', { a: rec('a') });
      expectSubscriptions(e.subscriptions).toBe(['^-!', '5ms ^--!']);
    });
  });

  it('live: follows the job, emits each new line once (repeats counted), fetches once more after terminal', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const s1 = cold('-(q|)', { q: Q });
      const s2 = cold('-(q|)', { q: Q });
      const s3 = cold('-(c|)', { c: C });
      const e1 = cold('-(l|)', { l: ['x'] });
      const e2 = cold('-(l|)', { l: ['x', 'y'] });
      const e3 = cold('-(l|)', { l: ['x', 'y', 'y'] });
      const e4 = cold('-(l|)', { l: ['x', 'y', 'y', 'z'] });
      const job = new AsyncJob(INFO, new FakeApi([s1, s2, s3], [e1, e2, e3, e4]), { scheduler: ts, policy: every(5), errorsPolicy: every(5) });
      // The job turns Completed at 13; the fetch started at 12 may predate it, so one more at 13.
      expectObservable(job.errors$({ live: true })).toBe('- a 5ms b 5ms c (d|)', { a: rec('x'), b: rec('y'), c: rec('y'), d: rec('z') });
      expectSubscriptions(e1.subscriptions).toBe('^!');
      expectSubscriptions(e2.subscriptions).toBe('6ms ^!');
      expectSubscriptions(e3.subscriptions).toBe('12ms ^!');
      expectSubscriptions(e4.subscriptions).toBe('13ms ^!');
      expectSubscriptions(s3.subscriptions).toBe('12ms ^!');
    });
  });

  it('live: cuts the wait short when the job turns terminal', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const s1 = cold('-(q|)', { q: Q });
      const s2 = cold('-(c|)', { c: C });
      const e1 = cold('-(l|)', { l: ['x'] });
      const e2 = cold('-(l|)', { l: ['x', 'w'] });
      const job = new AsyncJob(INFO, new FakeApi([s1, s2], [e1, e2]), { scheduler: ts, policy: every(3), errorsPolicy: every(50) });
      // The errors loop would wait 50; the job polls at 4 and is Completed at 5: fetch at once.
      expectObservable(job.errors$({ live: true })).toBe('- a 4ms (b|)', { a: rec('x'), b: rec('w') });
      expectSubscriptions(e2.subscriptions).toBe('5ms ^!');
    });
  });

  it('live: fetches on errorsPolicy, while the status loop keeps its own policy', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const s1 = cold('-(q|)', { q: Q });
      const s2 = cold('-(q|)', { q: Q });
      const s3 = cold('-(q|)', { q: Q });
      const s4 = cold('-(c|)', { c: C });
      const e1 = cold('-(l|)', { l: ['x'] });
      const e2 = cold('-(l|)', { l: ['x', 'y'] });
      const e3 = cold('-(l|)', { l: ['x', 'y', 'z'] });
      const job = new AsyncJob(INFO, new FakeApi([s1, s2, s3, s4], [e1, e2, e3]), { scheduler: ts, policy: every(2), errorsPolicy: every(5) });
      // Status polls at 0, 3, 6, 9 (Completed at 10); errors at 0 and 6 on their own 5 ms cadence,
      // then once more when the job turns terminal.
      expectObservable(job.errors$({ live: true })).toBe('- a 5ms b 3ms (c|)', { a: rec('x'), b: rec('y'), c: rec('z') });
      expectSubscriptions(s4.subscriptions).toBe('9ms ^!');
      expectSubscriptions(e2.subscriptions).toBe('6ms ^!');
      expectSubscriptions(e3.subscriptions).toBe('10ms ^!');
    });
  });

  it('live: on a job already known terminal, fetches once', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const s = cold('-(c|)', { c: C });
      const e = cold('-(l|)', { l: ['x', 'x'] });
      const job = new AsyncJob(INFO, new FakeApi([s], [e]), { scheduler: ts, policy: every(5), errorsPolicy: every(5) });
      expectObservable(job).toBe('-(c|)', { c: { ...C, jobId: JOB_ID, phase: 'succeeded', progress: 1, observedAt: 1 } });
      expectObservable(job.errors$({ live: true }), '3ms ^').toBe('4ms (xy|)', { x: rec('x'), y: rec('x') });
      expectSubscriptions(e.subscriptions).toBe('3ms ^!');
      expectSubscriptions(s.subscriptions).toBe('^!');
    });
  });

  it('live: retries a transient failure and errors on a permanent one', () => {
    const ts = testScheduler();
    const notFound = new NotFoundError({ status: 404, method: 'GET', route: `job/${JOB_ID}/errors` });
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const s = cold('-(q|)', { q: Q });
      const e1 = cold<readonly string[]>('-#', {}, new ServerError({ status: 502, method: 'GET', route: 'x' }));
      const e2 = cold('-(l|)', { l: ['x'] });
      const e3 = cold<readonly string[]>('-#', {}, notFound);
      const job = new AsyncJob(INFO, new FakeApi([s], [e1, e2, e3]), { scheduler: ts, policy: every(5), errorsPolicy: every(5) });
      expectObservable(job.errors$({ live: true })).toBe('7ms a 5ms #', { a: rec('x') }, notFound);
      expectSubscriptions(e1.subscriptions).toBe('^!');
      expectSubscriptions(e2.subscriptions).toBe('6ms ^!');
      expectSubscriptions(e3.subscriptions).toBe('12ms ^!');
      // Leaving errors$ also released the job's polling loop.
      expectSubscriptions(s.subscriptions).toBe(['^!', '6ms ^!', '12ms ^!']);
    });
  });

  it('live: a failed fetch is retried after its Retry-After even when the job is terminal (found by the chaos suite)', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const s = cold('-(c|)', { c: C });
      const e1 = cold<readonly string[]>('-#', {}, new RateLimitError({ status: 429, method: 'GET', route: 'x', retryAfterMs: 20 }));
      const e2 = cold('-(l|)', { l: ['x'] });
      const job = new AsyncJob(INFO, new FakeApi([s], [e1, e2]), { scheduler: ts, errorsPolicy: (st) => Math.max(st.retryAfterMs ?? 0, 1) });
      // Terminal at 1, the fetch fails at 1 asking for 20 ms: the retry waits them, it is not cut short.
      expectObservable(job.errors$({ live: true })).toBe('22ms (a|)', { a: rec('x') });
      expectSubscriptions(e1.subscriptions).toBe('^!');
      expectSubscriptions(e2.subscriptions).toBe('21ms ^!');
    });
  });

  it('live: fetches nothing while the job is paused, and at once on resume', () => {
    const ts = testScheduler();
    ts.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const s = cold('-(q|)', { q: Q });
      const e1 = cold('-(l|)', { l: ['x'] });
      const e2 = cold('-(l|)', { l: ['x', 'y'] });
      const pause$ = hot('--t 10ms f', { t: true, f: false });
      const job = new AsyncJob(INFO, new FakeApi([s], [e1, e2]), { scheduler: ts, policy: every(5), errorsPolicy: every(5), pause$ });
      expectObservable(job.errors$({ live: true }), '^ 15ms !').toBe('- a 12ms b', { a: rec('x'), b: rec('y') });
      expectSubscriptions(e1.subscriptions).toBe('^!');
      expectSubscriptions(e2.subscriptions).toBe('13ms ^!');
      expectSubscriptions(s.subscriptions).toBe(['^!', '13ms ^!']);
    });
  });

  it("live: a resume does not cut a failed fetch's Retry-After short", () => {
    const ts = testScheduler();
    ts.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const s = cold('-(q|)', { q: Q });
      const e1 = cold<readonly string[]>('-#', {}, new RateLimitError({ status: 429, method: 'GET', route: 'x', retryAfterMs: 20 }));
      const e2 = cold('-(l|)', { l: ['x'] });
      // Fails at 1 asking for 20 ms; paused at 2, resumed at 8: the retry still waits for 21, then
      // fetches every 5 ms (the same line again is not emitted again).
      const pause$ = hot('--t 5ms f', { t: true, f: false });
      const job = new AsyncJob(INFO, new FakeApi([s], [e1, e2]), { scheduler: ts, policy: every(100), errorsPolicy: (st) => st.retryAfterMs ?? 5, pause$ });
      expectObservable(job.errors$({ live: true }), '^ 30ms !').toBe('22ms a', { a: rec('x') });
      expectSubscriptions(e1.subscriptions).toBe('^!');
      expectSubscriptions(e2.subscriptions).toBe(['21ms ^!', '27ms ^!']);
    });
  });

  it('live: subscribing while the job is paused fetches nothing until the resume', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const s = cold('-(q|)', { q: Q });
      const e = cold('-(l|)', { l: ['x'] });
      const pause$ = new BehaviorSubject(true);
      ts.schedule(() => pause$.next(false), 5);
      const job = new AsyncJob(INFO, new FakeApi([s], [e]), { scheduler: ts, policy: every(5), errorsPolicy: every(5), pause$ });
      expectObservable(job.errors$({ live: true }), '^ 8ms !').toBe('6ms a', { a: rec('x') });
      expectSubscriptions(e.subscriptions).toBe('5ms ^!');
      expectSubscriptions(s.subscriptions).toBe('5ms ^!');
    });
  });

  it('live: the policy sees the fetches answered and failed, since the first fetch', () => {
    const ts = testScheduler();
    const seen: PollState[] = [];
    ts.run(({ cold, expectObservable }) => {
      const s = cold('-(q|)', { q: Q });
      const e1 = cold('-(l|)', { l: ['x'] });
      const e2 = cold<readonly string[]>('-#', {}, new ServerError({ status: 503, method: 'GET', route: 'x', retryAfterMs: 7 }));
      const e3 = cold('-(l|)', { l: ['x', 'y'] });
      const errorsPolicy = (st: PollState): number => (seen.push(st), st.retryAfterMs ?? 5);
      const job = new AsyncJob(INFO, new FakeApi([s], [e1, e2, e3]), { scheduler: ts, policy: every(100), errorsPolicy });
      expectObservable(job.errors$({ live: true }), '^ 16ms !').toBe('- a 13ms b', { a: rec('x'), b: rec('y') });
    });
    expect(seen.map((s) => [s.jobId, s.attempt, s.failures, s.startedAt, s.now, s.snapshots.length, s.retryAfterMs])).to.deep.equal([
      [JOB_ID, 1, 0, 0, 1, 0, undefined],
      [JOB_ID, 2, 1, 0, 7, 0, 7],
      [JOB_ID, 3, 0, 0, 15, 0, undefined],
    ]);
  });

  it('live: releases the pause signal (its own and the job loop it started) on completion and on unsubscribe', () => {
    const ts = testScheduler();
    ts.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const s = cold('-(c|)', { c: C });
      const e = cold('-(l|)', { l: ['x'] });
      const pause$ = hot<boolean>('-');
      const job = new AsyncJob(INFO, new FakeApi([s], [e]), { scheduler: ts, policy: every(5), errorsPolicy: every(5), pause$ });
      // The job turns Completed at 1 while the first fetch is in flight: one more fetch, then done.
      expectObservable(job.errors$({ live: true })).toBe('-a|', { a: rec('x') });
      expectObservable(job.errors$({ live: true }), '5ms ^!').toBe('');
      // One subscription shared by the job loop (done at 1, on Completed) and the errors loop (at 2,
      // after its last fetch).
      expectSubscriptions(pause$.subscriptions).toBe(['^-!', '5ms ^!']);
    });
  });

  it('live: unsubscribing stops the fetches and the job polling it started', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const s = cold('-(q|)', { q: Q });
      const e = cold('--(l|)', { l: [] as string[] });
      const job = new AsyncJob(INFO, new FakeApi([s], [e]), { scheduler: ts, policy: every(5), errorsPolicy: every(5) });
      expectObservable(job.errors$({ live: true }), '^ 7ms !').toBe('');
      expectSubscriptions(e.subscriptions).toBe(['^-!', '7ms ^!']);
      expectSubscriptions(s.subscriptions).toBe(['^!', '6ms ^!']);
    });
  });
});
