/**
 * JobSnapshot: one immutable, normalised observation of a job's status.
 */
import type { JobMessage, JobStatus } from './codecs/job.js';

/** Where a job is in its life: only `pending` is not terminal. */
export type JobPhase = 'pending' | 'succeeded' | 'failed' | 'cancelled';

export interface JobSnapshot {
  readonly jobId: string;
  /** The raw status string as the server sent it. */
  readonly status: string;
  readonly phase: JobPhase;
  readonly message: JobMessage | undefined;
  /** 0..1 when the server reported progress, clamped; `undefined` when it did not. */
  readonly progress: number | undefined;
  readonly completedSteps: number | undefined;
  readonly totalSteps: number | undefined;
  /** When this snapshot was observed: milliseconds since the epoch on the polling scheduler's clock. */
  readonly observedAt: number;
}

/**
 * The phase of a status string. Total: every string has one. `Completed` succeeded, every status
 * starting with `Errored` failed, `Cancelled` cancelled, everything else (`Queued`, `Running`,
 * `Retried`, statuses unknown today) is pending.
 */
export function phaseOf(status: string): JobPhase {
  if (status === 'Completed') return 'succeeded';
  if (status.startsWith('Errored')) return 'failed';
  if (status === 'Cancelled') return 'cancelled';
  return 'pending';
}

/** Whether a phase (or snapshot) is terminal: the job will not change any more. */
export function isTerminal(x: JobPhase | Pick<JobSnapshot, 'phase'>): boolean {
  return (typeof x === 'string' ? x : x.phase) !== 'pending';
}

function clampProgress(p: number | undefined): number | undefined {
  if (p === undefined || !Number.isFinite(p)) return undefined;
  return Math.min(1, Math.max(0, p));
}

/** Builds a frozen snapshot from a decoded `GET job/{id}` answer. */
export function toSnapshot(jobId: string, status: JobStatus, observedAt: number): JobSnapshot {
  const phase = phaseOf(status.status);
  let progress = clampProgress(status.progress);
  if (progress === undefined && status.totalSteps !== undefined && status.totalSteps > 0 && status.completedSteps !== undefined) {
    progress = clampProgress(status.completedSteps / status.totalSteps);
  }
  if (phase === 'succeeded') progress = 1;
  return Object.freeze({
    // The job's own string when the answer repeats it: no copy of the id per snapshot kept.
    jobId: status.jobId === undefined || status.jobId === jobId ? jobId : status.jobId,
    status: status.status,
    phase,
    message: status.message,
    progress,
    completedSteps: status.completedSteps,
    totalSteps: status.totalSteps,
    observedAt,
  });
}

/** Whether two snapshots say the same thing (their observation times aside). */
export function sameSnapshot(a: JobSnapshot, b: JobSnapshot): boolean {
  return (
    a.status === b.status &&
    a.progress === b.progress &&
    a.completedSteps === b.completedSteps &&
    a.totalSteps === b.totalSteps &&
    sameMessage(a.message, b.message)
  );
}

function sameMessage(a: JobMessage | undefined, b: JobMessage | undefined): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** How many distinct snapshots a history keeps besides the first. */
export const KEPT_SNAPSHOTS = 8;

/**
 * The bounded history a polling policy (and the `eta` operator) sees: `history` plus `s` unless it
 * repeats the last one, keeping the first snapshot (the start rate) and KEPT_SNAPSHOTS more. When
 * one must go, it is the oldest that changed something within a step (a message, progress) and is
 * not the last before the next step, so the snapshots on both sides of each step's end stay; else
 * the oldest after the first.
 * Returns `history` itself when `s` changes nothing, else a new frozen array.
 *
 * @example
 * ```ts
 * let history: readonly JobSnapshot[] = [];
 * history = remember(history, snapshot);
 * ```
 */
export function remember(history: readonly JobSnapshot[], s: JobSnapshot): readonly JobSnapshot[] {
  const last = history[history.length - 1];
  if (last !== undefined && sameSnapshot(last, s)) return history;
  // `concat` makes an array of exactly the length needed; a spread leaves room for 17 more
  // elements, and every watched job keeps its history.
  const next = history.concat(s);
  if (next.length > KEPT_SNAPSHOTS + 1) {
    // Neither the first snapshot of a step nor the last before the next one: those bracket when
    // each step ended.
    const within = (i: number): boolean =>
      next[i]!.completedSteps === next[i - 1]!.completedSteps && next[i]!.completedSteps === next[i + 1]!.completedSteps;
    let i = 1;
    while (i < next.length - 1 && !within(i)) i++;
    next.splice(i < next.length - 1 ? i : 1, 1);
  }
  // Frozen once here, where it is made: the loop hands it to every policy call as it is.
  return Object.freeze(next);
}
