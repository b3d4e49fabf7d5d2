/**
 * What the CLI shows about one job while it runs: the latest snapshot plus the timing needed for
 * elapsed time and ETA. Fed snapshots by the command, read by the progress renderers.
 */
import type { JobPhase, JobSnapshot } from '../job-snapshot.js';
import { estimateRemainingMs, type ProgressSample } from './format.js';
import { sanitize } from './sanitize.js';

/** A job's row, ready to print: every string is sanitised. */
export interface ProgressRow {
  readonly label: string;
  readonly jobId: string | undefined;
  /** The server's status, or `Waiting` before the job exists (a later link of a chain). */
  readonly status: string;
  readonly phase: JobPhase | 'waiting';
  readonly progress: number | undefined;
  readonly completedSteps: number | undefined;
  readonly totalSteps: number | undefined;
  readonly elapsedMs: number | undefined;
  readonly etaMs: number | undefined;
  readonly message: string;
}

export class JobProgress {
  readonly label: string;
  #jobId: string | undefined;
  #startedAt: number | undefined;
  #endedAt: number | undefined;
  #first: ProgressSample | undefined;
  #latest: ProgressSample | undefined;
  #snapshot: JobSnapshot | undefined;

  /** @param label what the row is called (`append`, `annotate`, or the job id for `watch`). */
  constructor(label: string, jobId?: string) {
    this.label = label;
    this.#jobId = jobId;
  }

  get snapshot(): JobSnapshot | undefined {
    return this.#snapshot;
  }

  /** The job exists and started at `startedAt` (its creation time, or when watching began). */
  start(jobId: string, startedAt: number): void {
    this.#jobId = jobId;
    this.#startedAt = startedAt;
  }

  /** Records a snapshot observed at `now`. */
  observe(snapshot: JobSnapshot, now: number): void {
    this.#jobId = snapshot.jobId;
    this.#startedAt ??= now;
    this.#snapshot = snapshot;
    if (snapshot.progress !== undefined) {
      const sample = { progress: snapshot.progress, at: now };
      this.#first ??= sample;
      this.#latest = sample;
    }
    if (snapshot.phase !== 'pending') this.#endedAt ??= now;
  }

  row(now: number): ProgressRow {
    const s = this.#snapshot;
    const end = this.#endedAt ?? now;
    const pending = s === undefined || s.phase === 'pending';
    return {
      label: sanitize(this.label),
      jobId: this.#jobId === undefined ? undefined : sanitize(this.#jobId),
      status: s ? sanitize(s.status) : this.#jobId === undefined ? 'Waiting' : 'Starting',
      phase: s ? s.phase : 'waiting',
      progress: s?.progress,
      completedSteps: s?.completedSteps,
      totalSteps: s?.totalSteps,
      elapsedMs: this.#startedAt === undefined ? undefined : end - this.#startedAt,
      etaMs: !pending ? undefined : this.#first && this.#latest ? estimateRemainingMs(this.#first, this.#latest, now) : undefined,
      message: s?.message === undefined ? '' : sanitize(s.message),
    };
  }
}
