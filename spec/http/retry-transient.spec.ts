import { expect } from 'chai';
import { type Observable, defer, queueScheduler, take } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { ApiError, ConnectionError, isTransientError } from '../../lib/errors.js';
import { DEFAULT_RETRY_OPTIONS, type RetryOptions } from '../../lib/http/retry-policy.js';
import { type Attempt, type RetryTransientConfig, retryTransient$ } from '../../lib/http/retry-transient.js';

/** Each attempt subscribes to `source` (first notification only): its subscription windows show the attempts. */
const attemptsOf =
  (source: Observable<unknown>) =>
  (): Attempt =>
  (settle) => {
    const sub = source.pipe(take(1)).subscribe({ next: (v) => settle(true, v), error: (e: unknown) => settle(false, e) });
    return () => sub.unsubscribe();
  };
const retrying = (source: Observable<unknown>, config: RetryTransientConfig): Observable<unknown> => retryTransient$(attemptsOf(source), config);

const options: RetryOptions = { ...DEFAULT_RETRY_OPTIONS, maxRetries: 2, initialDelayMs: 3, factor: 2, random: () => 0.5 };
const busy = ApiError.from({ status: 503, method: 'GET', route: 'job/j' });
const missing = ApiError.from({ status: 404, method: 'GET', route: 'job/j' });

describe('retryTransient', () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => {
      expect(actual).to.deep.equal(expected);
    });
  });

  it('resubscribes after a transient error, waiting 3 then 6 frames, then gives up', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-#', undefined, busy);
      const subs = ['^!', '----^!', '-----------^!'];
      const expected = '------------#';
      expectObservable(retrying(source, { options, scheduler: testScheduler, shouldRetry: isTransientError })).toBe(expected, undefined, busy);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('passes a permanent error through at once', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--#', undefined, missing);
      expectObservable(retrying(source, { options, scheduler: testScheduler, shouldRetry: isTransientError })).toBe('--#', undefined, missing);
      expectSubscriptions(source.subscriptions).toBe('^-!');
    });
  });

  it('retries a connection error and delivers the value of the attempt that succeeds', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      let attempt = 0;
      const failing = cold('-#', undefined, new ConnectionError({ method: 'GET', route: 'job/j' }));
      const ok = cold('-a|');
      const attempts$ = defer(() => (attempt++ === 0 ? failing : ok));
      expectObservable(retrying(attempts$, { options, scheduler: testScheduler, shouldRetry: isTransientError })).toBe('-----(a|)');
      expectSubscriptions(failing.subscriptions).toBe('^!');
      // The first answer settles the attempt: it completes the stream at once.
      expectSubscriptions(ok.subscriptions).toBe('----^!');
    });
  });

  it('honours the Retry-After carried by the error', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const limited = ApiError.from({ status: 429, method: 'GET', route: 'job/j', retryAfterMs: 5 });
      const source = cold('#', undefined, limited);
      expectObservable(retrying(source, { options: { ...options, maxRetries: 1 }, scheduler: testScheduler, shouldRetry: isTransientError })).toBe(
        '-----#',
        undefined,
        limited,
      );
      expectSubscriptions(source.subscriptions).toBe(['(^!)', '-----(^!)']);
    });
  });

  it('unsubscribing during the wait cancels the retry', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-#', undefined, busy);
      expectObservable(retrying(source, { options, scheduler: testScheduler, shouldRetry: isTransientError }), '^--!').toBe('---');
      expectSubscriptions(source.subscriptions).toBe('^!');
    });
  });

  it('with maxRetries 0 is the identity', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-#', undefined, busy);
      expectObservable(retrying(source, { options: { ...options, maxRetries: 0 }, scheduler: testScheduler, shouldRetry: isTransientError })).toBe(
        '-#',
        undefined,
        busy,
      );
      expectSubscriptions(source.subscriptions).toBe('^!');
    });
  });
  it('runs prepare at each subscription; what it throws errors the stream without an attempt', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a|');
      let prepared = 0;
      const ok$ = retryTransient$(() => {
        prepared++;
        return attemptsOf(source)();
      }, { options, scheduler: testScheduler, shouldRetry: isTransientError });
      expectObservable(ok$).toBe('-(a|)');
      expectObservable(ok$).toBe('-(a|)');
      expectSubscriptions(source.subscriptions).toBe(['^!', '^!']);
      const bad = new TypeError('Invalid URL');
      expectObservable(retryTransient$(() => { throw bad; }, { options, scheduler: testScheduler, shouldRetry: () => true })).toBe('#', undefined, bad);
      testScheduler.flush();
      expect(prepared).to.equal(2);
    });
  });

  it('handles attempts that settle synchronously: success, and a retried failure whose wait can be cancelled', () => {
    testScheduler.run(({ expectObservable }) => {
      let calls = 0;
      const sync = (): Attempt => (settle) => {
        calls++;
        settle(calls < 3 ? false : true, calls < 3 ? busy : 'v');
        return () => {
          throw new Error('a settled attempt is never cancelled');
        };
      };
      expectObservable(retryTransient$(sync, { options, scheduler: testScheduler, shouldRetry: isTransientError })).toBe('---------(v|)');
    });
    testScheduler.run(({ expectObservable }) => {
      let calls = 0;
      const failing = (): Attempt => (settle) => {
        calls++;
        settle(false, busy);
        return () => undefined;
      };
      expectObservable(retryTransient$(failing, { options, scheduler: testScheduler, shouldRetry: isTransientError }), '^-!').toBe('---');
      testScheduler.flush();
      expect(calls).to.equal(1);
      expect(testScheduler.actions).to.have.length(0);
    });
  });

  it('unsubscribing cancels the attempt a synchronous retry wait started (a scheduler running 0 ms delays at once)', () => {
    let started = 0;
    const cancelled: number[] = [];
    const attempts = (): Attempt => (settle) => {
      const n = ++started;
      if (n === 1) settle(false, busy);
      return () => void cancelled.push(n);
    };
    // queueScheduler runs a 0 ms action synchronously: the retry starts inside the first failure.
    const sub = retryTransient$(attempts, { options: { ...options, initialDelayMs: 0 }, scheduler: queueScheduler, shouldRetry: isTransientError }).subscribe();
    expect(started).to.equal(2);
    sub.unsubscribe();
    expect(cancelled).to.deep.equal([2]);
  });
});
