import { expect } from 'chai';
import { estimateEta } from '../../lib/eta.js';
import { toSnapshot, type JobSnapshot } from '../../lib/job-snapshot.js';
import { progressAware, progressAwarePolicy } from '../../lib/policies/progress-aware.js';
import type { PollState } from '../../lib/polling-policy.js';
import { mulberry32 } from '../../bench/policy/rng.js';
import { pollState, stepSnapshot } from '../support/step-snapshots.js';

const state = pollState;

/** Random but plausible-to-absurd poll states. */
function randomState(r: () => number): PollState {
  const statuses = ['Queued', 'Running', 'Running', 'Retried', 'Whatever'];
  const startedAt = Math.floor(r() * 1e9);
  const n = Math.floor(r() * 10);
  const total = r() < 0.3 ? undefined : 1 + Math.floor(r() * 1000);
  const snapshots: JobSnapshot[] = [];
  let t = startedAt;
  let k = 0;
  for (let i = 0; i < n; i++) {
    t += Math.floor(r() * 10 ** (1 + r() * 7));
    k = Math.min(total ?? 1e9, k + Math.floor(r() * 50));
    snapshots.push(stepSnapshot(t, statuses[Math.floor(r() * statuses.length)]!, total === undefined ? undefined : k, total, r() < 0.5 ? r() : undefined));
  }
  const now = t + Math.floor(r() * 1e6);
  const retryAfterMs = r() < 0.3 ? [0, 500, 5_000, 120_000, 3_600_000, -1, NaN, Infinity][Math.floor(r() * 8)] : undefined;
  return { attempt: n + Math.floor(r() * 100), failures: r() < 0.2 ? Math.floor(r() * 40) : 0, startedAt, now, snapshots, retryAfterMs };
}

describe('progressAware', () => {
  describe('properties (2,000 random states per policy)', () => {
    const policies = [
      { name: 'defaults', policy: progressAwarePolicy, cap: 600_000 },
      { name: 'cap 20 s', policy: progressAware({ maxDelayMs: 20_000 }), cap: 20_000 },
      { name: 'odd options', policy: progressAware({ maxDelayMs: 5_000, minDelayMs: 9_000, approachMs: -3, safety: NaN, closing: 7 }), cap: 5_000 },
    ];
    for (const { name, policy, cap } of policies) {
      it(`${name}: finite, >= 0, <= cap, and never earlier than Retry-After (up to 5 min)`, () => {
        const r = mulberry32(7);
        for (let i = 0; i < 2000; i++) {
          const s = randomState(r);
          const d = policy(s);
          expect(Number.isFinite(d), `finite for ${JSON.stringify(s)}`).to.equal(true);
          expect(d).to.be.at.least(0);
          const ra = s.retryAfterMs !== undefined && !Number.isNaN(s.retryAfterMs) && s.retryAfterMs > 0 ? Math.min(s.retryAfterMs, 300_000) : 0;
          expect(d).to.be.at.least(ra);
          expect(d).to.be.at.most(Math.max(cap, ra));
        }
      });
    }
  });

  it('polls an opaque job with a delay that grows with the time waited, up to the blind cap', () => {
    const p = progressAware({ blindMaxDelayMs: 30_000, jitter: 0 });
    const running = [stepSnapshot(0, 'Running')];
    expect(p(state(0, running))).to.equal(1_000);
    expect(p(state(3_000, running))).to.equal(6_000);
    expect(p(state(3_600_000, running))).to.equal(30_000);
    expect(p(state(10_000, [stepSnapshot(0, 'Queued')]))).to.equal(20_000);
  });

  it('spreads the blind delays of jobs started together by at most the jitter', () => {
    const delays = new Set<number>();
    for (let i = 0; i < 50; i++) {
      const d = progressAwarePolicy(state(10_000, [toSnapshot(`job_${i}`, { jobId: `job_${i}`, status: 'Running', message: undefined, progress: undefined, completedSteps: undefined, totalSteps: undefined }, 0)]));
      expect(d).to.be.within(18_000, 22_000);
      delays.add(d);
    }
    expect(delays.size).to.be.greaterThan(40);
  });

  it('waits longer for a job whose first step is not done yet, past the blind cap', () => {
    const d = progressAwarePolicy(state(100_000, [stepSnapshot(0, 'Running', 0, 100)]));
    expect(d).to.equal(200_000);
    expect(progressAware({ stuckGrowth: 1.5 })(state(100_000, [stepSnapshot(0, 'Running', 0, 100)]))).to.equal(150_000);
  });

  it('aims shortly before the estimated end of a steady job', () => {
    const seen = [stepSnapshot(0, 'Running', 0, 1000), stepSnapshot(100_000, 'Running', 100, 1000), stepSnapshot(200_000, 'Running', 200, 1000)];
    const eta = estimateEta(seen)!;
    const d = progressAwarePolicy(state(200_000, seen));
    expect(200_000 + d).to.be.below(eta.at);
    expect(d).to.be.at.least(0.25 * (eta.at - 200_000));
  });

  it('polls at the approach pace once the job is due', () => {
    const seen = [stepSnapshot(0, 'Running', 0, 100), stepSnapshot(10_000, 'Running', 50, 100), stepSnapshot(19_800, 'Running', 99, 100)];
    expect(progressAware({ approachMs: 1_500 })(state(19_800, seen))).to.equal(1_500);
  });

  it('paces the polls around a vague estimate by its spread, up to paceMaxMs', () => {
    // 4 coarse steps (past the few-steps schedule): the last one may take much more or less than the others.
    const seen = [stepSnapshot(0, 'Running', 0, 4), stepSnapshot(100_000, 'Running', 1, 4), stepSnapshot(200_000, 'Running', 2, 4), stepSnapshot(300_000, 'Running', 3, 4)];
    expect(progressAwarePolicy(state(390_000, seen))).to.equal(10_000);
    expect(progressAware({ paceMaxMs: 4_000 })(state(390_000, seen))).to.equal(4_000);
  });

  it('keeps closing in geometrically while steps are still to come', () => {
    const seen = [stepSnapshot(0, 'Running', 0, 4), stepSnapshot(100_000, 'Running', 1, 4)];
    const eta = estimateEta(seen, { now: 280_000 })!;
    expect(eta.at - 280_000).to.be.greaterThan(1_000);
    expect(progressAwarePolicy(state(280_000, seen))).to.be.closeTo(0.25 * (eta.at - 280_000), 1e-6);
  });

  it('slows down gently when the job is overdue', () => {
    const seen = [stepSnapshot(0, 'Running', 0, 100), stepSnapshot(10_000, 'Running', 50, 100), stepSnapshot(19_000, 'Running', 99, 100)];
    const soon = progressAwarePolicy(state(21_000, seen));
    const late = progressAwarePolicy(state(100_000, seen));
    expect(soon).to.equal(1_000);
    expect(late).to.be.greaterThan(soon);
  });

  it('tells apart jobs started in the same millisecond before any snapshot, by the state\'s jobId', () => {
    const fail = (jobId: string, failures: number) => state(0, [], { jobId, attempt: failures, failures });
    for (const failures of [1, 2, 3]) {
      const a = progressAwarePolicy(fail('job_a', failures));
      const b = progressAwarePolicy(fail('job_b', failures));
      expect(a).not.to.equal(b);
      expect(a).to.be.within(0.9 * 1_000 * 2 ** failures, 1.1 * 1_000 * 2 ** failures);
      // Pure: the same job in the same state waits the same.
      expect(progressAwarePolicy(fail('job_a', failures))).to.equal(a);
    }
    // Blind phase, before any snapshot, the same way.
    const blind = (jobId: string) => progressAwarePolicy(state(10_000, [], { jobId, attempt: 1 }));
    expect(blind('job_a')).not.to.equal(blind('job_b'));
  });

  it('backs off on consecutive failures', () => {
    const seen = [stepSnapshot(0, 'Running')];
    expect(progressAware({ jitter: 0 })(state(0, seen, { failures: 3 }))).to.equal(8_000);
  });

  it('honours Retry-After, over the cap too', () => {
    const seen = [stepSnapshot(0, 'Running')];
    expect(progressAwarePolicy(state(0, seen, { retryAfterMs: 7_000 }))).to.equal(7_000);
    expect(progressAware({ maxDelayMs: 2_000 })(state(0, seen, { retryAfterMs: 60_000 }))).to.equal(60_000);
    expect(progressAware({ jitter: 0 })(state(0, seen, { retryAfterMs: 10 }))).to.equal(1_000);
    expect(progressAwarePolicy(state(0, seen, { retryAfterMs: 86_400_000 }))).to.equal(300_000);
    expect(progressAware({ maxRetryAfterMs: 60_000 })(state(0, seen, { retryAfterMs: Infinity }))).to.equal(60_000);
  });

  it('is pure: the same state gives the same delay', () => {
    const r = mulberry32(3);
    for (let i = 0; i < 200; i++) {
      const s = randomState(r);
      expect(progressAwarePolicy(s)).to.equal(progressAwarePolicy(s));
    }
  });
});
