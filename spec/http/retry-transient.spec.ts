import { expect } from 'chai';
import { defer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { ApiError, ConnectionError, isTransientError } from '../../lib/errors.js';
import { DEFAULT_RETRY_OPTIONS, type RetryOptions } from '../../lib/http/retry-policy.js';
import { retryTransient } from '../../lib/http/retry-transient.js';

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
      expectObservable(source.pipe(retryTransient({ options, scheduler: testScheduler, shouldRetry: isTransientError }))).toBe(expected, undefined, busy);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('passes a permanent error through at once', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--#', undefined, missing);
      expectObservable(source.pipe(retryTransient({ options, scheduler: testScheduler, shouldRetry: isTransientError }))).toBe('--#', undefined, missing);
      expectSubscriptions(source.subscriptions).toBe('^-!');
    });
  });

  it('retries a connection error and delivers the value of the attempt that succeeds', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      let attempt = 0;
      const failing = cold('-#', undefined, new ConnectionError({ method: 'GET', route: 'job/j' }));
      const ok = cold('-a|');
      const attempts$ = defer(() => (attempt++ === 0 ? failing : ok));
      expectObservable(attempts$.pipe(retryTransient({ options, scheduler: testScheduler, shouldRetry: isTransientError }))).toBe('-----a|');
      expectSubscriptions(failing.subscriptions).toBe('^!');
      expectSubscriptions(ok.subscriptions).toBe('----^-!');
    });
  });

  it('honours the Retry-After carried by the error', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const limited = ApiError.from({ status: 429, method: 'GET', route: 'job/j', retryAfterMs: 5 });
      const source = cold('#', undefined, limited);
      expectObservable(source.pipe(retryTransient({ options: { ...options, maxRetries: 1 }, scheduler: testScheduler, shouldRetry: isTransientError }))).toBe(
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
      expectObservable(source.pipe(retryTransient({ options, scheduler: testScheduler, shouldRetry: isTransientError })), '^--!').toBe('---');
      expectSubscriptions(source.subscriptions).toBe('^!');
    });
  });

  it('with maxRetries 0 is the identity', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-#', undefined, busy);
      expectObservable(source.pipe(retryTransient({ options: { ...options, maxRetries: 0 }, scheduler: testScheduler, shouldRetry: isTransientError }))).toBe(
        '-#',
        undefined,
        busy,
      );
      expectSubscriptions(source.subscriptions).toBe('^!');
    });
  });
});
