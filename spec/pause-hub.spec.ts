import { expect } from 'chai';
import { NEVER, Observable, Subject, throwError } from 'rxjs';
import { AsyncJob } from '../lib/async-job.js';
import { joinPause, leavePause, type PauseListener } from '../lib/pause-hub.js';
import { pauseWhenHidden, type VisibilitySource } from '../lib/pause-when-hidden.js';
import { FakeApi, INFO, snap, status, testScheduler } from './support/marbles.js';

const every = (ms: number) => () => ms;
const R = status('Running', { progress: 0.5, completedSteps: 1, totalSteps: 2 });

/** A listener recording what its hub tells it. */
class Recorder implements PauseListener {
  readonly told: unknown[] = [];
  constructor(private readonly onPaused: (p: boolean) => void = () => undefined) {}
  setPaused(paused: boolean): void {
    this.told.push(paused);
    this.onPaused(paused);
  }
  halt(error: unknown): void {
    this.told.push(error);
  }
}

describe('pause$ shared between loops (lib/pause-hub.ts)', () => {
  it('jobs given the same pause$ share one subscription to it, released when the last loop stops', () => {
    const ts = testScheduler();
    ts.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const a = cold('-(r|)', { r: R });
      const b = cold('-(r|)', { r: R });
      // Paused from 3 to 9.
      const pause$ = hot('---t 5ms f', { t: true, f: false });
      const jobA = new AsyncJob(INFO, new FakeApi([a]), { scheduler: ts, policy: every(5), pause$ });
      const jobB = new AsyncJob(INFO, new FakeApi([b]), { scheduler: ts, policy: every(5), pause$ });
      expectObservable(jobA, '^ 19ms !').toBe('-a', { a: snap(R, 1) });
      expectObservable(jobB, '-^ 12ms !').toBe('--b', { b: snap(R, 2) });
      // A: due at 6 (paused), polled on the resume at 9, then 15; B: due at 7, polled at 9, gone at 14.
      expectSubscriptions(a.subscriptions).toBe(['^!', '9ms ^!', '15ms ^!']);
      expectSubscriptions(b.subscriptions).toBe(['1ms ^!', '9ms ^!']);
      expectSubscriptions(pause$.subscriptions).toBe('^ 19ms !');
    });
  });

  it('a job joining while the shared pause$ says paused waits for the resume', () => {
    const ts = testScheduler();
    ts.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const a = cold('-(r|)', { r: R });
      const b = cold('-(r|)', { r: R });
      const pause$ = hot('-t 8ms f', { t: true, f: false });
      const jobA = new AsyncJob(INFO, new FakeApi([a]), { scheduler: ts, policy: every(50), pause$ });
      const jobB = new AsyncJob(INFO, new FakeApi([b]), { scheduler: ts, policy: every(50), pause$ });
      expectObservable(jobA, '^ 19ms !').toBe('-a', { a: snap(R, 1) });
      expectObservable(jobB, '---^ 16ms !').toBe('11ms b', { b: snap(R, 11) });
      expectSubscriptions(b.subscriptions).toBe('10ms ^!');
      expectSubscriptions(pause$.subscriptions).toBe('^ 19ms !');
    });
  });

  it('an error of the shared pause$ errors every job following it; the next job subscribes afresh', () => {
    const ts = testScheduler();
    const boom = new Error('pause$ failed');
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const pause$ = cold<boolean>('--#', {}, boom);
      const api = new FakeApi([cold('-(r|)', { r: R })]);
      const jobA = new AsyncJob(INFO, api, { scheduler: ts, policy: every(1), pause$ });
      const jobB = new AsyncJob(INFO, api, { scheduler: ts, policy: every(1), pause$ });
      expectObservable(jobA).toBe('-a#', { a: snap(R, 1) }, boom);
      expectObservable(jobB, '-^').toBe('--#', {}, boom);
      expectObservable(jobB, '5ms ^').toBe('6ms a#', { a: snap(R, 6) }, boom);
      expectSubscriptions(pause$.subscriptions).toBe(['^-!', '5ms ^-!']);
    });
  });

  it('after the shared pause$ completes its jobs keep its last value; a later job subscribes afresh', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const pause$ = cold('-(t|)', { t: true });
      const a = cold('-(r|)', { r: R });
      const b = cold('-(r|)', { r: R });
      const jobA = new AsyncJob(INFO, new FakeApi([a]), { scheduler: ts, policy: every(2), pause$ });
      const jobB = new AsyncJob(INFO, new FakeApi([b]), { scheduler: ts, policy: every(2), pause$ });
      expectObservable(jobA, '^ 19ms !').toBe('-a', { a: snap(R, 1) });
      expectObservable(jobB, '3ms ^ 16ms !').toBe('4ms b', { b: snap(R, 4) });
      expectSubscriptions(a.subscriptions).toBe('^!');
      expectSubscriptions(b.subscriptions).toBe('3ms ^!');
      expectSubscriptions(pause$.subscriptions).toBe(['^!', '3ms ^!']);
    });
  });

  it('pauseWhenHidden() given to many jobs adds one visibilitychange listener', () => {
    const listeners = new Set<() => void>();
    const doc: VisibilitySource = {
      hidden: false,
      addEventListener: (_t, l) => void listeners.add(l),
      removeEventListener: (_t, l) => void listeners.delete(l),
    };
    const pause$ = pauseWhenHidden({ document: doc });
    const jobs = [1, 2, 3].map(() => new AsyncJob(INFO, new FakeApi([NEVER]), { policy: every(1000), pause$ }));
    const subscriptions = jobs.map((job) => job.subscribe());
    expect(listeners.size).to.equal(1);
    subscriptions[0]!.unsubscribe();
    subscriptions[1]!.unsubscribe();
    expect(listeners.size).to.equal(1);
    subscriptions[2]!.unsubscribe();
    expect(listeners.size).to.equal(0);
  });

  it('a late listener is told only a paused state; one leaving mid-notification is not told again', () => {
    const pause$ = new Subject<boolean>();
    const a = new Recorder();
    const b = new Recorder();
    const leaver = new Recorder(() => leavePause(pause$, b));
    joinPause(pause$, a);
    joinPause(pause$, leaver);
    joinPause(pause$, b);
    expect(pause$.observed).to.equal(true);
    pause$.next(true);
    const late = new Recorder();
    joinPause(pause$, late);
    pause$.next(false);
    const later = new Recorder();
    joinPause(pause$, later);
    expect([a.told, leaver.told, late.told, later.told]).to.deep.equal([[true, false], [true, false], [true, false], []]);
    // b left while `leaver` was told `true`, before its own turn came.
    expect(b.told).to.deep.equal([]);
    // Leaving without having joined (a loop stopped before it started) changes nothing.
    leavePause(pause$, new Recorder());
    expect(pause$.observed).to.equal(true);
    for (const l of [a, leaver, late, later]) leavePause(pause$, l);
    expect(pause$.observed).to.equal(false);
  });

  it('unsubscribes when the only listener leaves during the synchronous first emission', () => {
    let subscribed = 0;
    let torn = 0;
    const pause$ = new Observable<boolean>((subscriber) => {
      subscribed++;
      subscriber.next(true);
      return () => void torn++;
    });
    const l: Recorder = new Recorder(() => leavePause(pause$, l));
    joinPause(pause$, l);
    expect([subscribed, torn, l.told]).to.deep.equal([1, 1, [true]]);
    // Gone from the hubs: the next listener subscribes afresh.
    joinPause(pause$, new Recorder());
    expect(subscribed).to.equal(2);
  });

  it('a pause$ whose subscribe throws errors the job, leaving nothing behind; the next one tries afresh', () => {
    let subscribed = 0;
    const boom = new Error('not an Observable');
    const pause$ = { subscribe: () => (subscribed++, (): never => { throw boom; })() } as unknown as Observable<boolean>;
    const l = new Recorder();
    joinPause(pause$, l);
    expect([subscribed, l.told]).to.deep.equal([1, [boom]]);
    const api = new FakeApi([NEVER]);
    const errors: unknown[] = [];
    const job = new AsyncJob(INFO, api, { policy: every(1000), pause$ });
    job.subscribe({ error: (e: unknown) => errors.push(e) });
    job.subscribe({ error: (e: unknown) => errors.push(e) });
    expect([subscribed, errors, api.statusCalls]).to.deep.equal([3, [boom, boom], 0]);
  });

  it('halts every listener once on a synchronous error, and resubscribes for the next one', () => {
    let subscribed = 0;
    const boom = new Error('no signal');
    const pause$ = new Observable<boolean>((subscriber) => {
      subscribed++;
      subscriber.error(boom);
    });
    const first = new Recorder();
    joinPause(pause$, first);
    const second = new Recorder();
    joinPause(pause$, second);
    expect([subscribed, first.told, second.told]).to.deep.equal([2, [boom], [boom]]);
    expect(() => leavePause(pause$, first)).not.to.throw();
    expect(() => leavePause(throwError(() => boom), first)).not.to.throw();
  });
});
