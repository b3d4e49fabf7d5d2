import { expect } from 'chai';
import { defer, map, of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { AsyncJob } from '../lib/async-job.js';
import type { JobInfo, JobStatus } from '../lib/codecs/job.js';
import type { JobApi } from '../lib/job-api.js';
import { pauseWhenHidden, type VisibilitySource } from '../lib/pause-when-hidden.js';

/** A document stand-in: `hidden` plus a listener set that the test can fire and count. */
class FakeDocument implements VisibilitySource {
  hidden = false;
  readonly listeners = new Set<() => void>();
  addEventListener(_type: 'visibilitychange', listener: () => void): void {
    this.listeners.add(listener);
  }
  removeEventListener(_type: 'visibilitychange', listener: () => void): void {
    this.listeners.delete(listener);
  }
  /** What the browser does on a tab switch: flip `hidden`, then fire `visibilitychange`. */
  set(hidden: boolean): void {
    this.hidden = hidden;
    for (const l of [...this.listeners]) l();
  }
}

describe('pauseWhenHidden', () => {
  let testScheduler: TestScheduler;

  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => {
      expect(actual).to.deep.equal(expected);
    });
  });

  it('emits the current state at once, then each change, and removes its listener on unsubscribe', () => {
    const doc = new FakeDocument();
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // The browser's tab switches, as a hot stream driving the fake document.
      const tabs = hot('  --h--v---h-v-|', { h: true, v: false });
      const tabsSubs = '  ^------------!';
      const sub = '       ^-----------!';
      const expected = '  f-t--f---t-f-';
      tabs.subscribe((hidden) => doc.set(hidden));
      expectObservable(pauseWhenHidden({ document: doc }), sub).toBe(expected, { t: true, f: false });
      expectSubscriptions(tabs.subscriptions).toBe(tabsSubs);
    });
    expect(doc.listeners.size).to.equal(0);
  });

  it('starts paused when the page is hidden at subscribe time', () => {
    const doc = new FakeDocument();
    doc.hidden = true;
    testScheduler.run(({ hot, expectObservable }) => {
      hot('---v--h-', { h: true, v: false }).subscribe((hidden) => doc.set(hidden));
      expectObservable(pauseWhenHidden({ document: doc }), '^------!').toBe('t--f--t', { t: true, f: false });
    });
  });

  it('never emits the same value twice in a row (repeated events, unchanged state)', () => {
    const doc = new FakeDocument();
    testScheduler.run(({ hot, expectObservable }) => {
      hot('-v-v-h-h-v-', { h: true, v: false }).subscribe((hidden) => doc.set(hidden));
      expectObservable(pauseWhenHidden({ document: doc }), '^---------!').toBe('f----t---f', { t: true, f: false });
    });
  });

  it('keeps one listener per subscription and state per subscription', () => {
    const doc = new FakeDocument();
    const seenA: boolean[] = [];
    const seenB: boolean[] = [];
    const paused$ = pauseWhenHidden({ document: doc });
    const a = paused$.subscribe((p) => seenA.push(p));
    doc.set(true);
    const b = paused$.subscribe((p) => seenB.push(p));
    expect(doc.listeners.size).to.equal(2);
    doc.set(false);
    a.unsubscribe();
    expect(doc.listeners.size).to.equal(1);
    doc.set(true);
    b.unsubscribe();
    expect(doc.listeners.size).to.equal(0);
    expect(seenA).to.deep.equal([false, true, false]);
    expect(seenB).to.deep.equal([true, false, true]);
  });

  it('without a document (Node), emits false once and never completes', () => {
    testScheduler.run(({ expectObservable }) => {
      expectObservable(pauseWhenHidden(), '^--!').toBe('f---', { f: false });
    });
  });
});

describe('pauseWhenHidden as an AsyncJob pause$', () => {
  const info: JobInfo = { jobId: 'job_1', lastKnownStatus: 'Running', jobType: 'uploadDatasetItems', createdAt: '2026-11-29T12:00:00Z' };
  const running: JobStatus = { jobId: 'job_1', status: 'Running', message: undefined, progress: 0.5, completedSteps: 1, totalSteps: 2 };

  it('sends no poll while the page is hidden and one at once when it shows again', () => {
    const testScheduler = new TestScheduler((actual, expected) => {
      expect(actual).to.deep.equal(expected);
    });
    const doc = new FakeDocument();
    const polls: number[] = [];
    const api: JobApi = {
      getStatus: () => defer(() => (polls.push(testScheduler.now()), of(running))),
      getErrors: () => of([]),
      getInfo: () => of(info),
    };
    testScheduler.run(({ hot, expectObservable }) => {
      // Visible, hidden from 5 to 12 (a poll was due at 6), visible again from 12.
      hot('-----h------v', { h: true, v: false }).subscribe((hidden) => doc.set(hidden));
      const job = new AsyncJob(info, api, { scheduler: testScheduler, policy: () => 2, pause$: pauseWhenHidden({ document: doc }) });
      expectObservable(job.pipe(map((s) => s.status)), '^----------------!').toBe('r', { r: 'Running' });
    });
    expect(polls).to.deep.equal([0, 2, 4, 12, 14, 16]);
    expect(doc.listeners.size).to.equal(0);
  });
});
