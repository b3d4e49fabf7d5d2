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
  /** How many standard deviations after it they go on. */
  readonly tail: number;
  readonly closing: number;
  readonly stuckGrowth: number;
  /** Spacing of the polls that bracket a step's end, as a fraction of the time running. */
  readonly bracket: number;
  /** Least chance of seeing the end a dense poll must have. */
  readonly hitChance: number;
}

const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** A running snapshot with step counts, not all done (comparisons with `undefined` are false). */
const stepped = (s: JobSnapshot | undefined): s is JobSnapshot & { completedSteps: number; totalSteps: number } =>
  s?.phase === 'pending' && s.status !== 'Queued' && s.completedSteps! >= 0 && s.completedSteps! < s.totalSteps!;

/**
 * The few-steps schedule with its tuning: a function giving the delay before the next poll of a job
 * that reports `totalSteps <= fewSteps`, or `undefined` when the state does not fit this schedule
 * (no steps, more steps, step counts that changed total or went backwards): `progressAware` then
 * uses its general one.
 */
export function fewStepsSchedule(fewSteps: number, tuning: FewStepsTuning): (s: PollState) => number | undefined {
  const { min, approach, paceMax, stepSpread, safety, tail, closing, stuckGrowth, bracket, hitChance } = tuning;
  return ({ snapshots, now, changedAfter }) => {
    const last = snapshots[snapshots.length - 1];
    if (!stepped(last) || last.totalSteps > fewSteps) return undefined;
    const n = last.totalSteps;
    const k = last.completedSteps;
    // The first running snapshot with steps: its step began at or before it was seen.
    const first = snapshots.find(stepped)!;
    if (first.totalSteps !== n || first.completedSteps > k) return undefined;
    const done = k - first.completedSteps;
    const start = first.observedAt;
    if (done === 0) return Math.max(min, stuckGrowth * (now - start));

    // When the latest step ended: after the answer before it (or at least after the previous state
    // was first seen) and at or before it was observed.
    const seen = last.observedAt;
    const after = Math.min(seen, Math.max(snapshots[snapshots.length - 2]!.observedAt, changedAfter ?? -Infinity));
    const half = (seen - after) / 2;
    const scale = (after + half - start) / done;
    if (!(scale > 0 && scale < Infinity)) return undefined;

    if (n - k > 1) {
      // The next step ends, at the earliest plausible, `safety` spreads before one scale; from there
      // the polls bracket its end to `bracket` of the time running.
      const earliest = after + half + scale * Math.exp(-safety * stepSpread * Math.sqrt(1 + 1 / done));
      const spacing = bracket * (now - start);
      return Math.max(min, now < earliest - spacing ? earliest - now : spacing);
    }

    // The last step: log-normal around one scale; its spread adds the step's own, the scale's (from
    // `done` steps) and where in its bracket the latest step ended.
    const spread = Math.sqrt(stepSpread * stepSpread * (1 + 1 / done) + (half / scale) ** 2);
    const sd = scale * spread;
    const pace = Math.max(approach, Math.min(paceMax, sd));
    // Dense polls where the chance of the end within one pace, pace * density, is at least
    // hitChance: within z standard deviations below the estimate, at most `safety`.
    const z = Math.min(safety, Math.sqrt(Math.max(0, 2 * Math.log(pace / (hitChance * sd * SQRT_2PI)))));
    const from = after + scale * Math.exp(-z * spread);
    const to = seen + scale * Math.exp(tail * spread);
    if (now < from) return Math.max(min, from - now);
    if (now < to) return pace;
    // Past every likely end: slow down gently the later the job runs.
    return Math.max(pace, closing * (now - to));
  };
}
