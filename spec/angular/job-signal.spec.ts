import { expect } from 'chai';
import { createEnvironmentInjector, Injector, runInInjectionContext, type EnvironmentInjector, type Signal } from '@angular/core';
import { TestScheduler } from 'rxjs/testing';
import { jobSignal } from '../../lib/angular/job-signal.js';

describe('jobSignal', () => {
  let testScheduler: TestScheduler;
  let injector: EnvironmentInjector;

  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => {
      expect(actual).to.deep.equal(expected);
    });
    injector = createEnvironmentInjector([], Injector.NULL as EnvironmentInjector);
  });

  afterEach(() => {
    if (!injector.destroyed) injector.destroy();
  });

  /** Reads the signal at each of the given virtual times. */
  function readAt<T>(sig: Signal<T>, times: number[]): Array<T | string> {
    const seen: Array<T | string> = [];
    for (const t of times) {
      testScheduler.schedule(() => {
        try {
          seen.push(sig());
        } catch (e) {
          seen.push(`threw ${(e as Error).message}`);
        }
      }, t);
    }
    return seen;
  }

  it('follows the source, keeps the last value after completion, and unsubscribes on destroy', () => {
    testScheduler.run(({ cold, expectSubscriptions }) => {
      const job = cold('  -a--b--c|');
      const jobSubs = '   ^--!';
      const sig = runInInjectionContext(injector, () => jobSignal(job));
      const seen = readAt(sig, [0, 1, 2, 4, 5, 9]);
      testScheduler.schedule(() => injector.destroy(), 3);
      testScheduler.flush();
      expect(seen).to.deep.equal([undefined, 'a', 'a', 'a', 'a', 'a']);
      expectSubscriptions(job.subscriptions).toBe(jobSubs);
    });
  });

  it('keeps the terminal value once the job completes', () => {
    testScheduler.run(({ cold, expectSubscriptions }) => {
      const job = cold('-a-b|');
      const sig = jobSignal(job, { injector });
      const seen = readAt(sig, [0, 2, 3, 10]);
      testScheduler.flush();
      expect(seen).to.deep.equal([undefined, 'a', 'b', 'b']);
      expectSubscriptions(job.subscriptions).toBe('^---!');
    });
  });

  it('throws the stream error when read after a failure', () => {
    testScheduler.run(({ cold }) => {
      const job = cold('-a-#', undefined, new Error('JobError: boom'));
      const sig = jobSignal(job, { injector });
      const seen = readAt(sig, [1, 3]);
      testScheduler.flush();
      expect(seen).to.deep.equal(['a', 'threw JobError: boom']);
    });
  });

  it('needs an injection context or an injector', () => {
    testScheduler.run(({ cold }) => {
      expect(() => jobSignal(cold('-a|'))).to.throw(/injection context/);
    });
  });
});
