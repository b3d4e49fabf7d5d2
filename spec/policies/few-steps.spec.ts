import { expect } from 'chai';
import type { JobSnapshot } from '../../lib/job-snapshot.js';
import { progressAware, progressAwarePolicy } from '../../lib/policies/progress-aware.js';
import type { PollState } from '../../lib/polling-policy.js';
import { mulberry32 } from '../../bench/policy/rng.js';
import { stepSnapshot } from '../support/step-snapshots.js';

function state(now: number, snapshots: JobSnapshot[], changedAfter?: number): PollState {
  return { attempt: snapshots.length, failures: 0, startedAt: 0, now, snapshots, changedAfter, retryAfterMs: undefined };
}

/** A 3-step job seen at 0 (no step done), at 100 s x f (1 step) and at 200 s x f (2 steps). */
const coarse = (f: number, steps = 2): JobSnapshot[] =>
  [stepSnapshot(0, 'Running', 0, 3), stepSnapshot(100_000 * f, 'Running', 1, 3), stepSnapshot(200_000 * f, 'Running', 2, 3)].slice(0, steps + 1);

// Where the last step's window starts, as a fraction of the step scale after the bracket's start.
const policy = progressAware({ maxDelayMs: 36_000_000 });
const windowStart = (f: number): number => {
  const now = 200_000 * f;
  return (now + policy(state(now, coarse(f), 195_000 * f)) - 195_000 * f) / (98_750 * f);
};

describe('progressAware, few-steps schedule', () => {
  it('while no step is done, waits 1.5 times the time running', () => {
    expect(progressAwarePolicy(state(100_000, coarse(1, 0)))).to.equal(150_000);
    expect(progressAwarePolicy(state(1_000, coarse(1, 0)))).to.equal(1_500);
    expect(progressAware({ stuckGrowth: 3 })(state(100_000, coarse(1, 0)))).to.equal(300_000);
  });

  it('jumps to the earliest plausible end of the next step, then brackets it by 0.3 of the time running', () => {
    // Step 1 ended in (90 s, 100 s]: the scale is 95 s; the earliest end of step 2 is
    // 95 s + 95 s * exp(-1.75 * 0.3 * sqrt(2)), and the polls are 0.3 x the time running apart.
    const seen = coarse(1, 1);
    expect(progressAwarePolicy(state(100_000, seen, 90_000))).to.be.closeTo(95_000 + 95_000 * Math.exp(-1.75 * 0.3 * Math.SQRT2) - 100_000, 1e-6);
    expect(progressAwarePolicy(state(150_000, seen, 90_000))).to.be.closeTo(45_000, 1e-6);
    expect(progressAware({ bracket: 0.1 })(state(150_000, seen, 90_000))).to.be.closeTo(15_000, 1e-6);
  });

  it('starts the dense polls of the last step later when the step end is bracketed closely', () => {
    // Bracketed in (195 s, 200 s]: the last step's end is known to about 37 %, and dense polls start
    // at 0.525 of a scale (1.75 standard deviations before it).
    expect(windowStart(1)).to.be.closeTo(Math.exp(-1.75 * Math.sqrt(0.135 + (2_500 / 98_750) ** 2)), 1e-9);
    // Only known to have ended after the previous change (100 s): a vague end, dense polls at once.
    expect(progressAwarePolicy(state(200_000, coarse(1)))).to.equal(10_000);
  });

  it('starts the dense polls of a long job later, relative to its length, than those of a short one', () => {
    const short = windowStart(0.1);
    const long = windowStart(10);
    expect(short).to.be.closeTo(windowStart(1), 1e-9); // both capped at 1.75 standard deviations
    expect(long).to.be.greaterThan(short + 0.3);
    // The window's start is where a poll's chance of seeing the end, pace x density, falls to 1 %.
    const spread = Math.sqrt(0.135 + (25_000 / 987_500) ** 2);
    const sd = 987_500 * spread;
    const z = Math.sqrt(2 * Math.log(10_000 / (0.01 * sd * Math.sqrt(2 * Math.PI))));
    expect(long).to.be.closeTo(Math.exp(-z * spread), 1e-9);
    const lenient = progressAware({ maxDelayMs: 36_000_000, hitChance: 0.001 });
    expect(lenient(state(2_000_000, coarse(10), 1_950_000))).to.be.below(policy(state(2_000_000, coarse(10), 1_950_000)));
  });

  it('in the window polls once per standard deviation of the end, between approachMs and paceMaxMs', () => {
    const spread = Math.sqrt(0.135 + (250 / 9_875) ** 2);
    // A short job (scale 9.875 s): one standard deviation is 3.6 s.
    expect(progressAwarePolicy(state(26_000, coarse(0.1), 19_500))).to.be.closeTo(9_875 * spread, 1e-6);
    expect(progressAware({ approachMs: 5_000 })(state(26_000, coarse(0.1), 19_500))).to.equal(5_000);
    expect(progressAwarePolicy(state(260_000, coarse(1), 195_000))).to.equal(10_000);
  });

  it('slows down past every likely end', () => {
    const spread = Math.sqrt(0.135 + (2_500 / 98_750) ** 2);
    const end = 200_000 + 98_750 * Math.exp(1.5 * spread);
    expect(progressAwarePolicy(state(1_000_000, coarse(1), 195_000))).to.be.closeTo(0.25 * (1_000_000 - end), 1e-6);
  });

  it('leaves jobs with more steps, and every job with fewSteps: 0, to the general schedule', () => {
    const general = progressAware({ fewSteps: 0 });
    const four = [stepSnapshot(0, 'Running', 0, 4), stepSnapshot(100_000, 'Running', 1, 4)];
    expect(progressAwarePolicy(state(100_000, four, 90_000))).to.equal(general(state(100_000, four, 90_000)));
    expect(progressAware({ fewSteps: 4 })(state(100_000, four, 90_000))).not.to.equal(general(state(100_000, four, 90_000)));
    expect(general(state(200_000, coarse(1), 195_000))).not.to.equal(progressAwarePolicy(state(200_000, coarse(1), 195_000)));
  });

  it('stays finite, >= 0 and within the cap on odd few-step histories (2,000 random states)', () => {
    const r = mulberry32(11);
    const odd = [NaN, Infinity, -Infinity, -1e15, 1e15, undefined];
    for (let i = 0; i < 2000; i++) {
      const total = 1 + Math.floor(r() * 3);
      const snapshots: JobSnapshot[] = [];
      let t = Math.floor(r() * 1e9);
      for (let j = 0, n = 1 + Math.floor(r() * 6); j < n; j++) {
        t += Math.floor((r() - 0.1) * 10 ** (r() * 7)); // now and then backwards in time
        const k = Math.floor(r() * (total + 1)) - (r() < 0.1 ? 1 : 0);
        snapshots.push(stepSnapshot(t, r() < 0.1 ? 'Queued' : 'Running', k, r() < 0.1 ? total + 1 : total));
      }
      const now = t + Math.floor(r() * 1e6);
      const changedAfter = r() < 0.5 ? t - Math.floor(r() * 1e6) : odd[Math.floor(r() * odd.length)];
      const d = progressAwarePolicy(state(now, snapshots, changedAfter));
      expect(Number.isFinite(d), `finite for ${JSON.stringify({ now, snapshots, changedAfter })}`).to.equal(true);
      expect(d).to.be.within(10, 600_000);
    }
  });
});
