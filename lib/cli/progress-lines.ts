/**
 * Progress as plain lines, for pipes and log files: one line when a job is first seen, when its
 * status changes, when its progress crosses a tenth, and when it ends. No escape sequences.
 */
import type { JobProgress, ProgressRow } from './job-progress.js';
import type { Output } from './output.js';
import { formatPercent, formatSteps, formatTiming, type ProgressView } from './progress-view.js';

export class ProgressLines implements ProgressView {
  readonly #output: Output;
  readonly #now: () => number;
  // What was last printed per job: status and tenth of progress.
  readonly #last = new Map<JobProgress, string>();

  constructor(output: Output, now: () => number) {
    this.#output = output;
    this.#now = now;
  }

  add(_job: JobProgress): void {
    // Nothing to say until the job is seen.
  }

  changed(job: JobProgress): void {
    const row = job.row(this.#now());
    const key = `${row.status}|${row.progress === undefined ? '-' : Math.floor(row.progress * 10)}`;
    if (this.#last.get(job) === key) return;
    this.#last.set(job, key);
    this.#output.line(formatLine(row));
  }

  stop(): void {
    this.#last.clear();
  }
}

/** `append  job_123  Running  45%  1350/3000  elapsed 2.1s  ETA 2.6s  message`. */
export function formatLine(row: ProgressRow): string {
  const parts = [row.label];
  if (row.jobId !== undefined && row.jobId !== row.label) parts.push(row.jobId);
  parts.push(row.status, formatPercent(row.progress));
  const steps = formatSteps(row);
  if (steps) parts.push(steps);
  parts.push(formatTiming(row));
  if (row.message) parts.push(row.message);
  return parts.join('  ');
}
