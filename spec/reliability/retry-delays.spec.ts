// Property tests of every delay the library computes: the transport's retry delays and Retry-After
// parsing (and, in polling-policy.spec.ts, the polling policies). A delay is always finite, >= 0,
// within its cap, and never shorter than the server's Retry-After.
import { expect } from 'chai';
import fc from 'fast-check';
import { ApiError, ConnectionError } from '../../lib/errors.js';
import { parseRetryAfter } from '../../lib/http/retry-after.js';
import { DEFAULT_RETRY_OPTIONS, resolveRetryOptions, retryDelayMs, type RetryOptions } from '../../lib/http/retry-policy.js';
import { RUNS } from './support/arbitraries.js';

const ms = fc.oneof(fc.integer({ min: 0, max: 600_000 }), fc.double({ min: 0, max: 1e7, noNaN: true }), fc.constant(0));
const retryOptions: fc.Arbitrary<RetryOptions> = fc.record({
  maxRetries: fc.integer({ min: 0, max: 50 }),
  initialDelayMs: ms,
  factor: fc.oneof(fc.double({ min: 0, max: 100, noNaN: true }), fc.constantFrom(0, 1, 2, 3, 1e6)),
  maxDelayMs: ms,
  maxRetryAfterMs: ms,
  random: fc.oneof(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.constantFrom(0, 0.999999)).map((r) => () => r),
});
const retryAfter = fc.option(fc.oneof(fc.integer({ min: 0, max: 10_000_000 }), fc.constant(0)), { nil: undefined });

describe('reliability: retry delays (property)', () => {
  it('parseRetryAfter: any header value gives undefined or a finite delay >= 0; delay-seconds are honoured exactly', () => {
    const header = fc.oneof(
      fc.string(),
      fc.nat().map(String),
      fc.double({ min: 0, max: 1e6, noNaN: true }).map((d) => d.toFixed(3)),
      fc.date({ noInvalidDate: true }).map((d) => d.toUTCString()),
      fc.constantFrom('-1', '1e3', 'NaN', 'Infinity', '9'.repeat(400), ' 5 ', 'Wed, 21 Oct 2015 07:28:00 GMT', 'now', '0x10', ''),
    );
    fc.assert(
      fc.property(header, fc.integer({ min: 0, max: 4_102_444_800_000 }), (v, now) => {
        const d = parseRetryAfter(v, now);
        if (d !== undefined) expect(Number.isFinite(d) && d >= 0, `${v} -> ${d}`).to.equal(true);
        if (/^\s*\d{1,9}\s*$/.test(v)) expect(d).to.equal(Number(v.trim()) * 1000);
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('retryDelayMs: undefined (give up) or finite, >= 0, within max(maxDelayMs, maxRetryAfterMs); Retry-After honoured exactly or not waited for', () => {
    fc.assert(
      fc.property(retryOptions, fc.integer({ min: 1, max: 60 }), retryAfter, fc.constantFrom(429, 500, 502, 503, 504), fc.boolean(), (o, retry, ra, status, network) => {
        const error = network ? new ConnectionError({ method: 'GET', route: 'job/j' }) : ApiError.from({ status, method: 'GET', route: 'job/j', retryAfterMs: ra });
        const d = retryDelayMs(retry, error, o);
        if (retry > o.maxRetries) {
          expect(d).to.equal(undefined);
          return;
        }
        if (!network && ra !== undefined) {
          expect(d).to.equal(ra <= o.maxRetryAfterMs ? ra : undefined);
          return;
        }
        expect(d, 'backoff always gives a delay').not.to.equal(undefined);
        expect(Number.isFinite(d) && d! >= 0, `${d}`).to.equal(true);
        expect(d!).to.be.at.most(Math.max(o.maxDelayMs, o.maxRetryAfterMs) + 0.5);
        expect(d!).to.be.at.most(Math.round(o.maxDelayMs));
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('retryDelayMs with the defaults: 1 s, 3 s, 9 s, 27 s (+-50 %), then gives up', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (r) => {
        const o = resolveRetryOptions({ random: () => r });
        [1000, 3000, 9000, 27000].forEach((base, i) => {
          const d = retryDelayMs(i + 1, new ConnectionError({ method: 'GET', route: 'job/j' }), o)!;
          expect(d).to.be.within(Math.min(30_000, Math.round(base * 0.5)), Math.min(30_000, Math.round(base * 1.5)));
        });
        expect(retryDelayMs(DEFAULT_RETRY_OPTIONS.maxRetries + 1, new ConnectionError({ method: 'GET', route: 'job/j' }), o)).to.equal(undefined);
      }),
      { numRuns: RUNS },
    );
  });
});
