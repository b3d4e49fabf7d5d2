/**
 * The schedule `progressAware` follows for jobs that report only a few steps (the guide's jobs
 * report 3). With so few steps nothing about the last step is learnt until the job ends, so where
 * it ends is a distribution, and the polls are placed on it:
 * - while no step is done, the delay grows with the time spent running;
 * - while steps remain before the last one, the polls bracket the next step's end closely (its
 *   time gives the scale of the steps: the time running over the steps done);
 * - during the last step, its end is taken as log-normal around the scale, and the polls are dense
 *   (one per standard deviation of the end, at most `paceMax`) only where a poll has a fair chance
 *   of being the one that sees the end: a long job, whose end is vague, starts its dense polls
 *   later than a short one. Pure: the delay depends on the PollState only.
 */
import { withinSteps } from '../eta.js';
import type { JobSnapshot } from '../job-snapshot.js';
import type { PollState } from '../polling-policy.js';

/** The tuning `progressAware` passes on (its options, resolved). */
export interface FewStepsTuning {
  readonly min: number;
  readonly approach: number;
  readonly paceMax: number;
  /** Relative (log) spread of one step's length. */
  readonly stepSpread: number;
  /** How many standard deviations before the estimated end the dense polls may start. */
  readonly safety: number;
  readonly stuckGrowth: number;
  /** Spacing of the polls that bracket a step's end, as a fraction of the time running. */
  readonly bracket: number;
  /** Least chance of seeing the end a dense poll must have. */
  readonly hitChance: number;
  /** Longest delay outside the dense polls (before and past them); at least paceMax. */
  readonly sparseMax: number;
}

const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** A running snapshot with step counts, not all done (comparisons with `undefined` are false). */
const stepped = (s: JobSnapshot | undefined): s is JobSnapshot & { completedSteps: number; totalSteps: number } =>
  s?.phase === 'pending' && s.status !== 'Queued' && s.completedSteps! >= 0 && s.completedSteps! < s.totalSteps!;

/**
 * The few-steps schedule with its tuning: a function giving the delay before the next poll of a job
 * that reports `totalSteps <= fewSteps`, or `undefined` when the state does not fit this schedule
 * (no steps, more steps, a total that changed, first seen after its first step, progress within
 * steps, steps off the model): `progressAware` then uses its general one.
 */
export function fewStepsSchedule(fewSteps: number, tuning: FewStepsTuning): (s: PollState) => number | undefined {
  const { min, approach, paceMax, stepSpread, safety, stuckGrowth, bracket, hitChance, sparseMax } = tuning;
  return ({ snapshots, now, changedAfter }) => {
    const last = snapshots[snapshots.length - 1];
    // (A job whose progress moves within its steps says more than its steps: the general schedule.)
    if (!stepped(last) || last.totalSteps > fewSteps || snapshots.some(withinSteps)) return undefined;
    const n = last.totalSteps;
    const k = last.completedSteps;
    // Watched from its first step (else the scale, the time running over the steps done, would be
    // too short): the first running snapshot with steps, whose step began at or before it was seen.
    const first = snapshots.find(stepped)!;
    if (first.totalSteps !== n || first.completedSteps !== 0) return undefined;
    const start = first.observedAt;
    if (k === 0) return Math.max(min, stuckGrowth * (now - start));

    // When the latest step ended: the snapshot that first showed k steps, `b`, was seen after it;
    // the one before, with fewer, was seen before it, and so was the answer before `b` when `b` is
    // the latest change (a message or progress may have changed since, with no step).
    let b = snapshots.length - 1;
    while (b > 1 && snapshots[b - 1]!.completedSteps === k) b--;
    const seen = snapshots[b]!.observedAt;
    const before = snapshots[b - 1]!.observedAt;
    // (Comparisons with undefined or NaN are false.)
    const after = Math.min(seen, b === snapshots.length - 1 && changedAfter! > before ? changedAfter! : before);
    const half = (seen - after) / 2;
    const scale = (after + half - start) / k;
    if (!(scale > 0 && scale < Infinity)) return undefined;
    // Outside the dense polls, a job ending there is seen at worst `reach` late: a tenth of the time
    // watched, at most sparseMax.
    const reach = Math.max(paceMax, Math.min(sparseMax, 0.1 * (now - start)));

    // Steps as unequal as the model makes unlikely (3 spreads): leave the job to the general schedule,
    // whose estimate follows the job as it goes. A next step more than 3 spreads past one scale, or
    // a first step certainly shorter, or longer, than the mean of the others by that much.
    const cut = 3 * stepSpread * Math.sqrt(1 + 1 / k);
    if (n - k > 1 && now - after - half > scale * Math.exp(cut)) return undefined;
    if (k > 1) {
      let j = 1;
      while (!(snapshots[j]!.completedSteps! > 0)) j++;
      const firstEndedBy = snapshots[j]!.observedAt - start;
      const firstEndedAfter = snapshots[j - 1]!.observedAt - start;
      const others = (x: number): number => (after + half - start - x) / (k - 1);
      if (Math.max(others(firstEndedBy) / firstEndedBy, firstEndedAfter / others(firstEndedAfter)) > Math.exp(cut)) return undefined;
    }

    if (n - k > 1) {
      // The next step ends, at the earliest plausible, `safety` spreads before one scale; from there
      // the polls bracket its end to `bracket` of the time running.
      const earliest = after + half + scale * Math.exp(-safety * stepSpread * Math.sqrt(1 + 1 / k));
      const spacing = bracket * (now - start);
      return Math.max(min, now < earliest - spacing ? earliest - now : spacing);
    }

    // The last step: log-normal around one scale; its spread adds the step's own, the scale's (from
    // k steps) and where in its bracket the latest step ended.
    const spread = Math.sqrt(stepSpread * stepSpread * (1 + 1 / k) + (half / scale) ** 2);
    const sd = scale * spread;
    const pace = Math.max(approach, Math.min(paceMax, sd));
    // Dense polls from where a poll's chance of seeing the end, pace x the density of the end, is at
    // least hitChance: z standard deviations before the estimate, at most `safety`.
    const z = Math.min(safety, Math.sqrt(Math.max(0, 2 * Math.log(pace / (hitChance * sd * SQRT_2PI)))));
    const from = after + scale * Math.exp(-z * spread);
    if (now < from) return Math.max(min, Math.min(from - now, reach));
    // Past the estimate, u standard deviations: while the model's hazard, about (u + sqrt(u^2 + 4))
    // / 2 over (now - after) * spread (a bound of the inverse Mills ratio), gives a poll at least
    // hitChance, up to 6 standard deviations (an end that late is off the model: a stalled job).
    const u = Math.log((now - after) / scale) / spread;
    if (u <= 0 || (u <= 6 && (pace * (u + Math.sqrt(u * u + 4))) / 2 >= hitChance * spread * (now - after))) return pace;
    // Past every likely end: a tenth of the time watched, at most sparseMax.
    return reach;
  };
}
