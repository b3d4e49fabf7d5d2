// Property tests of the polling policies: whatever the state, the delay is finite, >= 0, within the
// cap that applies, and never shorter than the server's Retry-After (up to the policy's bound on it).
import { expect } from 'chai';
import fc from 'fast-check';
import { toSnapshot, type JobSnapshot } from '../../lib/job-snapshot.js';
import { exponentialBackoffPolicy, exponentialBackoff, type ExponentialBackoffOptions } from '../../lib/policies/exponential-backoff.js';
import { safeDelay } from '../../lib/safe-delay.js';
import { progressAware, type ProgressAwareOptions } from '../../lib/policies/progress-aware.js';
import type { PollState } from '../../lib/polling-policy.js';
import { RUNS } from './support/arbitraries.js';

const snapshot: fc.Arbitrary<JobSnapshot> = fc
  .record({ status: fc.constantFrom('Queued', 'Running', 'Completed', 'Errored_User'), progress: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }), at: fc.nat() })
  .map(({ status, progress, at }) => toSnapshot('job_1', { jobId: 'job_1', status, message: undefined, progress, completedSteps: undefined, totalSteps: undefined }, at));

/** Every state the poll tracker can produce: counts >= 0, Retry-After finite and >= 0 when present. */
const pollState: fc.Arbitrary<PollState> = fc
  .record({
    attempt: fc.oneof(fc.nat({ max: 100 }), fc.nat({ max: 10_000_000 })),
    failures: fc.oneof(fc.constant(0), fc.nat({ max: 100 }), fc.nat({ max: 10_000_000 })),
    startedAt: fc.integer({ min: 0, max: 4_102_444_800_000 }),
    elapsed: fc.nat({ max: 1e9 }),
    snapshots: fc.array(snapshot, { maxLength: 9 }),
    retryAfterMs: fc.option(fc.oneof(fc.nat({ max: 10_000 }), fc.nat({ max: 2_000_000_000 })), { nil: undefined }),
  })
  .map(({ elapsed, startedAt, failures, attempt, ...rest }) => ({ ...rest, startedAt, now: startedAt + elapsed, attempt: Math.max(attempt, failures), failures }));

const finite = (max: number) => fc.oneof(fc.nat({ max }), fc.double({ min: 0, max, noNaN: true }));
const options: fc.Arbitrary<ExponentialBackoffOptions> = fc.record(
  {
    initialDelayMs: finite(60_000),
    factor: fc.double({ min: 1, max: 10, noNaN: true }),
    maxDelayMs: finite(600_000),
    failureDelayMs: finite(60_000),
    failureFactor: fc.double({ min: 1, max: 10, noNaN: true }),
    maxFailureDelayMs: finite(600_000),
    jitter: fc.double({ min: 0, max: 1, noNaN: true }),
    seed: fc.integer(),
    maxRetryAfterMs: finite(3_600_000),
  },
  { requiredKeys: [] },
);

describe('reliability: polling policies (property)', () => {
  it('exponentialBackoff: finite, >= 0, within the cap that applies, never below the (bounded) Retry-After', () => {
    fc.assert(
      fc.property(options, pollState, (o, state) => {
        const d = exponentialBackoff(o)(state);
        expect(Number.isFinite(d) && d >= 0, `delay ${d}`).to.equal(true);
        const cap = state.failures > 0 ? (o.maxFailureDelayMs ?? 30_000) : (o.maxDelayMs ?? 5000);
        const retryAfter = state.retryAfterMs === undefined ? 0 : Math.min(state.retryAfterMs, o.maxRetryAfterMs ?? 300_000);
        expect(d, 'over the cap').to.be.at.most(Math.max(cap, retryAfter) + 0.5);
        expect(d, 'under the Retry-After').to.be.at.least(retryAfter - 0.5);
        expect(safeDelay(d)).to.equal(d);
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('the default policy: at most 5 s between successful polls, 30 s after failures, and Retry-After (up to 5 min) always honoured', () => {
    fc.assert(
      fc.property(pollState, (state) => {
        const d = exponentialBackoffPolicy(state);
        expect(Number.isFinite(d) && d >= 0).to.equal(true);
        const ra = state.retryAfterMs === undefined ? 0 : Math.min(state.retryAfterMs, 300_000);
        expect(d).to.be.at.most(Math.max(state.failures > 0 ? 30_000 : 5000, ra) + 0.5);
        expect(d).to.be.at.least(ra - 0.5);
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('progressAware: finite, within [minDelayMs, maxDelayMs] or up to the (bounded) Retry-After, never below it, for any history of progress', () => {
    // Histories as the poll loop builds them: observation times increasing up to now, steps and
    // progress as a server reports them (possibly stalled, jumping, or inconsistent).
    const history = fc
      .tuple(
        fc.integer({ min: 0, max: 4_102_444_800_000 }),
        fc.array(
          fc.record({
            gap: fc.nat({ max: 600_000 }),
            status: fc.constantFrom('Queued', 'Running', 'Running', 'Running', 'Retried'),
            progress: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
            completedSteps: fc.option(fc.nat({ max: 1000 }), { nil: undefined }),
            totalSteps: fc.option(fc.nat({ max: 1000 }), { nil: undefined }),
          }),
          { maxLength: 9 },
        ),
        fc.nat({ max: 3_600_000 }),
      )
      .map(([start, steps, after]) => {
        let at = start;
        const snapshots = steps.map((x) => {
          at += x.gap;
          return toSnapshot('job_1', { jobId: 'job_1', status: x.status, message: undefined, progress: x.progress, completedSteps: x.completedSteps, totalSteps: x.totalSteps }, at);
        });
        return { start, snapshots, now: at + after };
      });
    const opts: fc.Arbitrary<ProgressAwareOptions> = fc.record(
      { maxDelayMs: finite(3_600_000), minDelayMs: finite(60_000), blindMaxDelayMs: finite(600_000), approachMs: finite(60_000), paceMaxMs: finite(600_000), maxRetryAfterMs: finite(3_600_000), jitter: fc.double({ min: 0, max: 1, noNaN: true }) },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(opts, history, fc.nat({ max: 1000 }), fc.nat({ max: 50 }), fc.option(fc.nat({ max: 2_000_000_000 }), { nil: undefined }), (o, h, attempt, failures, retryAfterMs) => {
        const state: PollState = { attempt: attempt + failures, failures, startedAt: h.start, now: h.now, snapshots: h.snapshots, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
        const d = progressAware(o)(state);
        expect(Number.isFinite(d) && d >= 0, `delay ${d}`).to.equal(true);
        const cap = Math.max(10, o.maxDelayMs ?? 600_000);
        const ra = retryAfterMs === undefined ? 0 : Math.min(retryAfterMs, o.maxRetryAfterMs ?? 300_000);
        expect(d).to.be.at.most(Math.max(cap, ra) + 0.5);
        expect(d).to.be.at.least(ra - 0.5);
        expect(d).to.be.at.least(Math.min(Math.max(10, o.minDelayMs ?? 1000), cap) - 0.5);
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('safeDelay makes any answer schedulable: finite, >= 0, within the timer maximum', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, -1, 2 ** 31, 1e300)), (ms) => {
        const d = safeDelay(ms);
        expect(Number.isFinite(d) && d >= 0 && d <= 2_147_483_647, `${ms} -> ${d}`).to.equal(true);
      }),
      { numRuns: RUNS },
    );
  });
});
