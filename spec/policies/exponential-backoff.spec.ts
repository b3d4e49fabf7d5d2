import { expect } from 'chai';
import { exponentialBackoffPolicy, exponentialBackoff, stateRandom } from '../../lib/policies/exponential-backoff.js';
import type { PollState } from '../../lib/polling-policy.js';

const state = (more: Partial<PollState> = {}): PollState => ({ attempt: 1, failures: 0, startedAt: 1000, now: 1000, snapshots: [], ...more });

describe('exponentialBackoff', () => {
  it('starts fast and doubles up to the cap (no jitter)', () => {
    const p = exponentialBackoff({ jitter: 0 });
    expect([1, 2, 3, 4, 5, 6, 7, 100].map((attempt) => p(state({ attempt })))).to.deep.equal([250, 500, 1000, 2000, 4000, 5000, 5000, 5000]);
  });

  it('backs off failures like the Python client: 1 s, 3 s, 9 s, 27 s, capped at 30 s', () => {
    const p = exponentialBackoff({ jitter: 0 });
    expect([1, 2, 3, 4, 5].map((failures) => p(state({ attempt: 9, failures })))).to.deep.equal([1000, 3000, 9000, 27000, 30000]);
  });

  it('never waits less than the Retry-After, which is itself bounded', () => {
    const p = exponentialBackoff({ jitter: 0, maxRetryAfterMs: 60_000 });
    expect(p(state({ failures: 1, retryAfterMs: 12_000 }))).to.equal(12_000);
    expect(p(state({ failures: 1, retryAfterMs: 10 }))).to.equal(1000);
    expect(p(state({ retryAfterMs: 2_000 }))).to.equal(2000);
    expect(p(state({ failures: 1, retryAfterMs: 3_600_000 }))).to.equal(60_000);
  });

  it('jitters within the range, deterministically for a given state', () => {
    const p = exponentialBackoff({ initialDelayMs: 1000, maxDelayMs: 100_000, jitter: 0.2 });
    const delays = Array.from({ length: 200 }, (_, i) => p(state({ startedAt: i })));
    for (const d of delays) expect(d).to.be.within(800, 1200);
    expect(new Set(delays).size).to.be.greaterThan(50);
    expect(p(state({ startedAt: 7 }))).to.equal(p(state({ startedAt: 7 })));
  });

  it('tells apart jobs started in the same millisecond before any snapshot, by the state\'s jobId', () => {
    const p = exponentialBackoff();
    // Both failed their first poll: no snapshot yet, the same start, attempt and failure count.
    const a = state({ jobId: 'job_a', failures: 1 });
    const b = state({ jobId: 'job_b', failures: 1 });
    expect(stateRandom(a)).not.to.equal(stateRandom(b));
    expect(p(a)).not.to.equal(p(b));
    // Pure: the same job in the same state waits the same.
    expect(p(state({ jobId: 'job_a', failures: 1 }))).to.equal(p(a));
    // The state's jobId wins over the snapshots' (they agree for a real loop); without it, the first snapshot's.
    expect(stateRandom(state({ jobId: 'job_a' }))).to.equal(stateRandom(state({ jobId: 'job_a' })));
  });

  it('keeps jittered delays under the cap', () => {
    const p = exponentialBackoff({ jitter: 1, random: () => 0.999 });
    expect(p(state({ attempt: 50 }))).to.equal(5000);
    expect(p(state({ attempt: 1 }))).to.equal(500);
  });

  it('takes an injected random source', () => {
    const p = exponentialBackoff({ initialDelayMs: 100, jitter: 0.5, random: () => 0 });
    expect(p(state())).to.equal(50);
  });

  it('depends on the seed', () => {
    const s = state({ startedAt: 42 });
    expect(stateRandom(s, 1)).to.not.equal(stateRandom(s, 2));
    for (let i = 0; i < 100; i++) expect(stateRandom(state({ attempt: i }))).to.be.within(0, 0.9999999999);
  });

  it('stays finite for very long-lived jobs', () => {
    expect(exponentialBackoff({ jitter: 0 })(state({ attempt: 1e6 }))).to.equal(5000);
    expect(exponentialBackoff({ jitter: 0 })(state({ failures: 1e6 }))).to.equal(30000);
  });

  it('rejects nonsensical options', () => {
    expect(() => exponentialBackoff({ factor: 0 })).to.throw(RangeError);
    expect(() => exponentialBackoff({ jitter: 2 })).to.throw(RangeError);
    expect(() => exponentialBackoff({ maxDelayMs: Number.NaN })).to.throw(RangeError);
  });

  it('is the default policy', () => {
    const d = exponentialBackoffPolicy(state());
    expect(d).to.be.within(200, 300);
  });
});
