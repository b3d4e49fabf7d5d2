/**
 * Live progress of jobs: bars redrawn in place when stdout is a terminal, one plain line per
 * noteworthy change otherwise (a log file or a pipe gets no escape sequences at all).
 */
import type { JobProgress, ProgressRow } from './job-progress.js';
import type { Output, Style } from './output.js';
import { formatDuration, formatPercent } from './format.js';
import { ProgressBars } from './progress-bars.js';
import { ProgressLines } from './progress-lines.js';

export interface ProgressView {
  /** Shows a new row. */
  add(job: JobProgress): void;
  /** The job's state changed (a snapshot was observed). */
  changed(job: JobProgress): void;
  /** Stops redrawing; what was drawn stays on screen. Idempotent. */
  stop(): void;
}

/** Bars on a terminal, lines otherwise. `now` is the clock for elapsed time and ETA. */
export function createProgressView(output: Output, now: () => number = Date.now): ProgressView {
  return output.isTTY ? new ProgressBars(output, now) : new ProgressLines(output, now);
}

/** `1350/3000` when the server reports steps, empty otherwise. */
export function formatSteps(row: ProgressRow): string {
  return row.completedSteps !== undefined && row.totalSteps !== undefined ? `${row.completedSteps}/${row.totalSteps}` : '';
}

/** The colour of a status: green done, red failed, yellow cancelled, plain while running. */
export function statusStyle(row: Pick<ProgressRow, 'phase'>): Style | undefined {
  switch (row.phase) {
    case 'succeeded':
      return 'green';
    case 'failed':
      return 'red';
    case 'cancelled':
      return 'yellow';
    case 'waiting':
      return 'dim';
    default:
      return undefined;
  }
}

/** `elapsed 2.1s  ETA 2.6s` (no ETA once the job has ended). */
export function formatTiming(row: ProgressRow): string {
  const elapsed = `elapsed ${formatDuration(row.elapsedMs)}`;
  return row.phase === 'pending' ? `${elapsed}  ETA ${formatDuration(row.etaMs)}` : elapsed;
}

export { formatPercent };
