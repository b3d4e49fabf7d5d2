import { expect } from 'chai';
import type { JobSnapshot } from '../../lib/job-snapshot.js';
import { fewStepsSchedule } from '../../lib/policies/few-steps.js';
import { progressAware, progressAwarePolicy } from '../../lib/policies/progress-aware.js';
import type { PollState } from '../../lib/polling-policy.js';
import { mulberry32 } from '../../bench/policy/rng.js';
import { pollState, stepSnapshot } from '../support/step-snapshots.js';

const state = (now: number, snapshots: JobSnapshot[], changedAfter?: number): PollState => pollState(now, snapshots, { changedAfter });

/** A 3-step job seen at 0 (no step done), at 100 s x f (1 step) and at 200 s x f (2 steps). */
const coarse = (f: number, steps = 2): JobSnapshot[] =>
  [stepSnapshot(0, 'Running', 0, 3), stepSnapshot(100_000 * f, 'Running', 1, 3), stepSnapshot(200_000 * f, 'Running', 2, 3)].slice(0, steps + 1);

// Where the dense polls of the last step start, as a fraction of the step scale after the bracket's
// start (195 s x f; the scale is 98.75 s x f): the first instant at which the policy answers the
// pace, one standard deviation of the end (bisection between the bracket and the estimate).
const windowStart = (f: number, policy = progressAwarePolicy): number => {
  const after = 195_000 * f;
  const scale = 98_750 * f;
  const sd = scale * Math.sqrt(0.135 + (2_500 / 98_750) ** 2);
  const pace = Math.max(1_000, Math.min(10_000, sd));
  let lo = 200_000 * f;
  let hi = after + scale;
  expect(policy(state(hi, coarse(f), after))).to.equal(pace);
  while (hi - lo > 1e-3 * f) {
    const mid = (lo + hi) / 2;
    if (policy(state(mid, coarse(f), after)) === pace) hi = mid;
    else lo = mid;
  }
  return (hi - after) / scale;
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
    expect(progressAwarePolicy(state(100_000, seen, 90_000))).to.be.closeTo(40_214, 1); // 95 s + 45.2 s - 100 s
    expect(progressAwarePolicy(state(150_000, seen, 90_000))).to.be.closeTo(45_000, 1e-6);
    expect(progressAware({ bracket: 0.1 })(state(150_000, seen, 90_000))).to.be.closeTo(15_000, 1e-6);
  });

  it('starts the dense polls of the last step later when the step end is bracketed closely', () => {
    // Bracketed in (195 s, 200 s]: the last step's end is known to about 37 %, and dense polls start
    // at 0.525 of a scale (1.75 standard deviations before it).
    expect(windowStart(1)).to.be.closeTo(0.5249, 1e-4);
    // Only known to have ended after the previous change (100 s): a vague end, dense polls at once.
    expect(progressAwarePolicy(state(200_000, coarse(1)))).to.equal(10_000);
  });

  it('starts the dense polls of a long job later, relative to its length, than those of a short one', () => {
    const short = windowStart(0.1);
    const long = windowStart(10);
    expect(short).to.be.closeTo(windowStart(1), 1e-4); // both capped at 1.75 standard deviations
    expect(long).to.be.greaterThan(short + 0.3);
    // The window's start is where a poll's chance of seeing the end, pace x density, falls to 1 %:
    // for a scale of 987.5 s known to 36.8 % (one sd 363.7 s) and 10 s polls, 0.430 sd before the
    // estimate, at 0.8535 of the scale.
    expect(long).to.be.closeTo(0.8535, 1e-4);
    expect(windowStart(10, progressAware({ hitChance: 0.001 }))).to.be.below(long - 0.1);
  });

  it('in the window polls once per standard deviation of the end, between approachMs and paceMaxMs', () => {
    // A short job (scale 9.875 s): one standard deviation is 3.64 s.
    expect(progressAwarePolicy(state(26_000, coarse(0.1), 19_500))).to.be.closeTo(3_637, 1);
    expect(progressAware({ approachMs: 5_000 })(state(26_000, coarse(0.1), 19_500))).to.equal(5_000);
    expect(progressAwarePolicy(state(260_000, coarse(1), 195_000))).to.equal(10_000);
  });

  it('past the estimate, polls on while a poll may well see the end, then slows down', () => {
    // Bracketed in (195 s, 200 s]: the estimate is 98.75 s after 195 s, known to 37 %. 500 s after
    // the bracket (4.4 standard deviations), the model's hazard still gives a 10 s poll more than a
    // 1 % chance of seeing the end; at 2,000 s (8.2, past 6) the job is off the model, and the
    // delay is a tenth of the time watched, at most sparseMaxMs (120 s).
    expect(progressAwarePolicy(state(195_000 + 500_000, coarse(1), 195_000))).to.equal(10_000);
    expect(progressAwarePolicy(state(195_000 + 2_000_000, coarse(1), 195_000))).to.equal(120_000);
    expect(progressAware({ sparseMaxMs: 3_600_000 })(state(195_000 + 2_000_000, coarse(1), 195_000))).to.be.closeTo(219_500, 1e-6);
  });

  it('leaves to the general schedule a job whose steps turn out unequal', () => {
    const general = progressAware({ fewSteps: 0 });
    // The second step is overdue by more than 3 spreads of the model (3.6 scales after the first).
    const one = coarse(1, 1);
    expect(progressAwarePolicy(state(400_000, one, 90_000))).to.equal(120_000);
    expect(progressAwarePolicy(state(500_000, one, 90_000))).to.equal(general(state(500_000, one, 90_000)));
    // The first step took at most 100 s, the second about 875 s: more than 3 spreads apart (on the
    // few-steps schedule the delay would be a tenth of the time watched, 100 s).
    const unequal = [stepSnapshot(0, 'Running', 0, 3), stepSnapshot(100_000, 'Running', 1, 3), stepSnapshot(1_000_000, 'Running', 2, 3)];
    expect(progressAwarePolicy(state(1_000_000, unequal, 950_000))).to.equal(general(state(1_000_000, unequal, 950_000)));
    expect(general(state(1_000_000, unequal, 950_000))).not.to.equal(100_000);
    const equal = [stepSnapshot(0, 'Running', 0, 3), stepSnapshot(500_000, 'Running', 1, 3), stepSnapshot(1_000_000, 'Running', 2, 3)];
    expect(progressAwarePolicy(state(1_000_000, equal, 990_000))).to.equal(100_000); // a tenth of the time watched
    expect(general(state(1_000_000, equal, 990_000))).not.to.equal(100_000);
  });

  it('leaves to the general schedule a job whose progress moves within its steps', () => {
    const general = progressAware({ fewSteps: 0 });
    const seen = [stepSnapshot(0, 'Running', 0, 3, 0), stepSnapshot(10_000, 'Running', 0, 3, 0.1), stepSnapshot(20_000, 'Running', 0, 3, 0.2)];
    expect(progressAwarePolicy(state(20_000, seen, 10_000))).to.equal(general(state(20_000, seen, 10_000)));
    expect(progressAwarePolicy(state(20_000, seen, 10_000))).not.to.equal(30_000); // not 1.5 x the time running
  });

  it('leaves jobs with more steps, and every job with fewSteps: 0, to the general schedule', () => {
    const general = progressAware({ fewSteps: 0 });
    const four = [stepSnapshot(0, 'Running', 0, 4), stepSnapshot(100_000, 'Running', 1, 4)];
    expect(progressAwarePolicy(state(100_000, four, 90_000))).to.equal(general(state(100_000, four, 90_000)));
    expect(progressAware({ fewSteps: 4 })(state(100_000, four, 90_000))).not.to.equal(general(state(100_000, four, 90_000)));
    expect(general(state(200_000, coarse(1), 195_000))).not.to.equal(progressAwarePolicy(state(200_000, coarse(1), 195_000)));
  });

  it('measures the scale from the first running snapshot, after a queue wait', () => {
    // Queued (even with step counts) until 50 s; step 1 ended in (140 s, 150 s]: the scale is 95 s.
    const seen = [stepSnapshot(0, 'Queued', 0, 3), stepSnapshot(50_000, 'Running', 0, 3), stepSnapshot(150_000, 'Running', 1, 3)];
    const earliest = 145_000 + 95_000 * Math.exp(-1.75 * 0.3 * Math.SQRT2);
    expect(progressAwarePolicy(state(150_000, seen, 140_000))).to.be.closeTo(earliest - 150_000, 1e-6);
  });

  it('brackets the latest step, not a later change of message or progress', () => {
    const later = stepSnapshot(230_000, 'Running', 2, 3);
    const withMessage = [...coarse(1), { ...later, message: { stage: 'writing' } } as unknown as JobSnapshot];
    // changedAfter (220 s) brackets the message change; the second step ended after 100 s, when the
    // snapshot before it was first seen: the same as with no bracket at all (dense polls at once).
    expect(progressAwarePolicy(state(240_000, withMessage, 220_000))).to.equal(10_000);
    expect(progressAwarePolicy(state(240_000, coarse(1)))).to.equal(10_000);
    // Bracketed closely, the same step would wait for its window.
    expect(progressAwarePolicy(state(240_000, coarse(1), 195_000))).to.be.closeTo(195_000 + 98_750 * Math.exp(-1.75 * Math.sqrt(0.135 + (2_500 / 98_750) ** 2)) - 240_000, 1e-6);
  });

  it('clamps a bracket that says more than the snapshots: never before the previous state was seen, never after the change was', () => {
    const seen = coarse(1, 1);
    const delay = (changedAfter: number) => progressAwarePolicy(state(100_000, seen, changedAfter));
    const earliest = (after: number) => {
      const ended = (after + 100_000) / 2;
      return ended + ended * Math.exp(-1.75 * 0.3 * Math.SQRT2) - 100_000;
    };
    expect(delay(90_000)).to.be.closeTo(earliest(90_000), 1e-6);
    expect(delay(1e15)).to.equal(delay(100_000));
    expect(delay(100_000)).to.be.closeTo(earliest(100_000), 1e-6);
    // Before the first snapshot was seen, or not a number: from the previous snapshot on (0 s), so
    // the earliest end of step 2 is already past and the polls are 0.3 x 100 s apart.
    for (const bogus of [-1e15, NaN, -Infinity]) expect(delay(bogus)).to.equal(30_000);
  });

  it('leaves to the general schedule a job first seen after its first step, or whose total of steps changed', () => {
    const general = progressAware({ fewSteps: 0 });
    const cases: [JobSnapshot[], number][] = [
      [[stepSnapshot(0, 'Running', 1, 3), stepSnapshot(100_000, 'Running', 2, 3)], 95_000],
      [[stepSnapshot(0, 'Running', 0, 4), stepSnapshot(100_000, 'Running', 1, 3)], 95_000],
    ];
    for (const [seen, changedAfter] of cases) {
      expect(progressAwarePolicy(state(120_000, seen, changedAfter))).to.equal(general(state(120_000, seen, changedAfter)));
    }
  });

  it('bounds the delays outside the dense polls by sparseMaxMs and a tenth of the time watched', () => {
    // A long job (scale 987.5 s): its dense polls start about 14 min after the bracket.
    const seen = coarse(10);
    expect(progressAwarePolicy(state(2_000_000, seen, 1_950_000))).to.equal(120_000);
    expect(progressAware({ sparseMaxMs: 600_000 })(state(2_000_000, seen, 1_950_000))).to.equal(200_000);
    // Far past every likely end: the same bound.
    expect(progressAwarePolicy(state(20_000_000, seen, 1_950_000))).to.equal(120_000);
  });

  it('on odd few-step histories, gives a finite delay of at least minDelayMs or leaves the job to the general schedule (2,000 random states)', () => {
    // The schedule itself, not progressAware, which clamps whatever it gets.
    const schedule = fewStepsSchedule(3, { min: 1_000, approach: 1_000, paceMax: 10_000, stepSpread: 0.3, safety: 1.75, stuckGrowth: 1.5, bracket: 0.3, hitChance: 0.01, sparseMax: 120_000 });
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
      const d = schedule(state(now, snapshots, changedAfter));
      if (d !== undefined && !(Number.isFinite(d) && d >= 1_000)) expect.fail(`${d} for ${JSON.stringify({ now, snapshots, changedAfter })}`);
    }
  });
});
