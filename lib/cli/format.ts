/**
 * Small formatters for human output: durations, percentages, ETA.
 */

/**
 * A duration for humans: `0.4s`, `12s`, `1m05s`, `2h03m`. Negative or non-finite input gives `--`.
 *
 * @example
 * formatDuration(65_000) // '1m05s'
 */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '--';
  if (ms < 10_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)}s`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/**
 * A 0..1 fraction as a whole percentage, `--` when unknown. Never shows 100% before the end:
 * 0.999 is `99%`.
 *
 * @example
 * formatPercent(0.456) // '45%'
 */
export function formatPercent(p: number | undefined): string {
  if (p === undefined || !Number.isFinite(p)) return '--';
  return `${Math.floor(Math.min(1, Math.max(0, p)) * 100)}%`;
}

/** One observation of a job's progress: a 0..1 fraction at a time in milliseconds. */
export interface ProgressSample {
  readonly progress: number;
  readonly at: number;
}

/**
 * Milliseconds until a job is done, extrapolated linearly from the first and the latest progress
 * observed; `undefined` while there is no rate to go on (one sample, or no progress yet).
 *
 * @example
 * estimateRemainingMs({ progress: 0, at: 0 }, { progress: 0.25, at: 1000 }, 1000) // 3000
 */
export function estimateRemainingMs(first: ProgressSample, latest: ProgressSample, now: number): number | undefined {
  const done = latest.progress - first.progress;
  const took = latest.at - first.at;
  if (latest.progress >= 1) return 0;
  if (done <= 0 || took <= 0) return undefined;
  const remaining = ((1 - latest.progress) * took) / done - (now - latest.at);
  return Math.max(0, Math.round(remaining));
}
