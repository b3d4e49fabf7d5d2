/**
 * Estimated time of arrival of a job, from the snapshots observed so far: a pure function, the
 * same estimator the progress-aware polling policy uses.
 */
import type { JobSnapshot } from './job-snapshot.js';

/** An estimate of when a job will end. Times are milliseconds on the snapshots' clock. */
export interface Eta {
  /** The estimated instant of completion. */
  readonly at: number;
  /** Relative uncertainty of the remaining time `at - from` (0.2 = about +-20 %); >= 0, finite. */
  readonly uncertainty: number;
  /** The instant the estimate extrapolates from (the latest progress change seen). */
  readonly from: number;
  /** Fraction done (0..1) at `from`. */
  readonly done: number;
  /** Estimated progress rate, fraction per millisecond (> 0). */
  readonly rate: number;
  /** Steps left at `from`, when the job reports steps. */
  readonly stepsLeft: number | undefined;
}

/** Options of `estimateEta`. */
export interface EtaOptions {
  /**
   * Now, on the snapshots' clock; defaults to the last snapshot's `observedAt`. When no progress
   * was seen for a while, the rate is lowered accordingly (the job cannot be faster than that).
   */
  readonly now?: number;
  /** Relative spread assumed for the length of one step (default 0.3). */
  readonly stepSpread?: number;
}

interface Point {
  readonly t: number;
  /** Fraction done: from the step counts when sent (exact), else from `progress`. */
  readonly f: number;
  /** Steps done, or progress in hundredths when `f` comes from it. */
  readonly k: number;
  /** Total steps, or 100. */
  readonly n: number;
  /** Steps left, when the job reports steps. */
  readonly left: number | undefined;
}

/** `s` as a point of the run; `byProgress`: from `job_progress` even when steps are sent. */
function pointOf(s: JobSnapshot, byProgress: boolean): Point | undefined {
  if (s.phase !== 'pending' || s.status === 'Queued') return undefined;
  const steps = s.totalSteps !== undefined && s.totalSteps > 0 && s.completedSteps !== undefined && Number.isFinite(s.completedSteps);
  const left = steps ? s.totalSteps! - Math.min(Math.max(s.completedSteps!, 0), s.totalSteps!) : undefined;
  if (steps && !byProgress) {
    const k = s.totalSteps! - left!;
    return { t: s.observedAt, f: k / s.totalSteps!, k, n: s.totalSteps!, left };
  }
  if (s.progress !== undefined && Number.isFinite(s.progress)) {
    const f = Math.min(Math.max(s.progress, 0), 1);
    return { t: s.observedAt, f, k: 100 * f, n: 100, left };
  }
  return undefined;
}

/**
 * Whether `job_progress` says more than the step counts: past the fraction of steps done by more
 * than its two decimals (progress moving within a step), so the finer figure is used.
 */
export function withinSteps(s: JobSnapshot): boolean {
  return s.progress !== undefined && s.completedSteps !== undefined && s.totalSteps! > 0 && s.progress > s.completedSteps / s.totalSteps! + 0.01;
}

/**
 * Estimates when a job ends from its snapshots (oldest first, as a stream of them or
 * `PollState.snapshots` holds them), extrapolating the progress rate seen since it started
 * running. `undefined` while the job reports no progress, is queued, has not moved yet, or is over.
 *
 * ## Example
 * ```ts
 * import { estimateEta } from 'nucleus-rx';
 * const seen: JobSnapshot[] = [];
 * job.subscribe((s) => {
 *   seen.push(s);
 *   const eta = estimateEta(seen, { now: Date.now() });
 *   if (eta) console.log(`done in ~${Math.round((eta.at - Date.now()) / 1000)} s`);
 * });
 * ```
 */
export function estimateEta(snapshots: readonly JobSnapshot[], options: EtaOptions = {}): Eta | undefined {
  const last = snapshots[snapshots.length - 1];
  if (last === undefined || last.phase !== 'pending') return undefined;
  // One unit for the whole run: job_progress when it ever moved within the steps (it is finer).
  const byProgress = snapshots.some(withinSteps);
  const points: Point[] = [];
  for (const s of snapshots) {
    const p = pointOf(s, byProgress);
    // A snapshot that changed something else (a message) is no new observation of progress.
    if (p !== undefined && Number.isFinite(p.t) && p.f !== points[points.length - 1]?.f) points.push(p);
  }
  const b = points[points.length - 1];
  if (b === undefined || b.f >= 1 || points.length < 2) return undefined;
  if (pointOf(last, byProgress) === undefined) return undefined; // queued again, or no progress any more
  const a = points[0]!;
  if (b.f <= a.f || b.t <= a.t) return undefined;
  const now = Math.max(options.now ?? last.observedAt, b.t);
  const spread = options.stepSpread ?? 0.3;
  const global = (b.f - a.f) / (b.t - a.t);
  // The rate over the recent part of the run (at least its last 30 %), to follow a rate change;
  // the faster of the two is used (an early poll costs one request, a late one costs latency), and
  // their disagreement adds to the uncertainty.
  let recent = global;
  for (let i = points.length - 2; i > 0; i--) {
    const r = points[i]!;
    if (r.t <= b.t - 0.3 * (b.t - a.t) && r.f < b.f) {
      recent = (b.f - r.f) / (b.t - r.t);
      break;
    }
  }
  let rate = Math.max(global, recent);
  const drift = Math.abs(Math.log(recent / global));
  // No new step since b: the next one is not done yet, which bounds the rate from above.
  const stallBound = (b.f + 1 / b.n - a.f) / (now - a.t);
  if (stallBound < rate) rate = stallBound;
  const remaining = (1 - b.f) / rate;
  const prev = points[points.length - 2]!;
  // Where between the previous observation and b the last step really ended is unknown.
  const timing = (b.t - prev.t) / (b.t - a.t);
  const steps = Math.max(b.k - a.k, 1);
  const left = Math.max(b.n - b.k, 1);
  const uncertainty = Math.sqrt((spread * spread) / steps + (spread * spread) / left) + timing + drift;
  if (!Number.isFinite(remaining) || !Number.isFinite(uncertainty)) return undefined;
  return { at: b.t + remaining, uncertainty, from: b.t, done: b.f, rate, stepsLeft: b.left };
}
