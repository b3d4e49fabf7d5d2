/**
 * `nucleus-rx watch <jobId...>`: live progress of existing jobs until they end. The exit code is the
 * worst outcome: 0 all completed, 1 a job failed, 3 cancelled, 4 timed out, 5 API error (see
 * exit-codes.ts).
 */
import { catchError, map, merge, of, switchMap, takeUntil, tap, timer, type Observable } from 'rxjs';
import type { JobSnapshot } from '../../job-snapshot.js';
import { createClient } from '../client.js';
import type { CliContext } from '../context.js';
import { runUntilInterrupted } from '../context.js';
import { ExitCode, worstExitCode } from '../exit-codes.js';
import { describeFailure } from '../failure.js';
import { OUTCOME_EXIT_CODE, outcomeOfSnapshot, type JobOutcome } from '../job-outcome.js';
import { JobProgress } from '../job-progress.js';
import { createProgressView } from '../progress-view.js';
import { sanitize } from '../sanitize.js';
import { formatDuration } from '../format.js';

export interface WatchOptions {
  readonly timeout?: number;
  readonly endpoint?: string;
  readonly json?: boolean;
}

type WatchEvent = { readonly jobId: string; readonly snapshot: JobSnapshot } | { readonly jobId: string; readonly error: unknown };

export async function watchCommand(jobIds: readonly string[], opts: WatchOptions, ctx: CliContext): Promise<ExitCode> {
  const { output } = ctx;
  const { client, endpoint } = createClient(opts, ctx);
  const ids = [...new Set(jobIds)];
  const rows = new Map(ids.map((id) => [id, new JobProgress(id, id)] as const));
  const failures = new Map<string, { message: string; code: ExitCode }>();

  // One stream per job: its snapshots, then its end; an API error ends that job only.
  const perJob$ = (jobId: string): Observable<WatchEvent> =>
    client.getJob(jobId).pipe(
      // Elapsed counts from the job's creation (as far as the two clocks agree), not from our start.
      tap((job) => rows.get(jobId)?.start(job.jobId, Math.min(Date.now(), Date.parse(job.createdAt) || Date.now()))),
      switchMap((job) => job),
      map((snapshot): WatchEvent => ({ jobId, snapshot })),
      catchError((error: unknown) => of<WatchEvent>({ jobId, error })),
    );
  const all$ = merge(...ids.map(perJob$)).pipe(opts.timeout === undefined ? (s) => s : takeUntil(timer(opts.timeout)));

  const view = opts.json ? undefined : createProgressView(output);
  for (const row of rows.values()) view?.add(row);
  const now = Date.now;
  let result;
  try {
    result = await runUntilInterrupted(all$, ctx.interrupted$, (event) => {
      const row = rows.get(event.jobId);
      if (!row) return;
      if ('error' in event) {
        failures.set(event.jobId, describeFailure(event.error, endpoint));
        if (opts.json) output.json({ type: 'error', jobId: event.jobId, message: failures.get(event.jobId)?.message });
        return;
      }
      row.observe(event.snapshot, now());
      if (opts.json) output.json({ type: 'snapshot', ...snapshotJson(event.snapshot) });
      else view?.changed(row);
    });
  } finally {
    view?.stop();
  }

  const outcomes = new Map<string, JobOutcome>();
  for (const id of ids) {
    const ended = outcomeOfSnapshot(rows.get(id)?.snapshot);
    outcomes.set(id, failures.has(id) ? 'error' : ended ?? (result.kind === 'interrupted' ? 'interrupted' : 'timed_out'));
  }
  const codes = ids.map((id) => {
    const failure = failures.get(id);
    return failure ? failure.code : OUTCOME_EXIT_CODE[outcomes.get(id) ?? 'error'];
  });
  const exitCode = result.kind === 'interrupted' ? ExitCode.Interrupted : worstExitCode(codes);

  if (opts.json) {
    for (const id of ids) {
      const snapshot = rows.get(id)?.snapshot;
      output.json({ type: 'result', jobId: id, outcome: outcomes.get(id), status: snapshot?.status ?? null, exitCode: failures.get(id)?.code ?? OUTCOME_EXIT_CODE[outcomes.get(id) ?? 'error'] });
    }
  } else {
    for (const id of ids) {
      const failure = failures.get(id);
      if (failure) output.warn(`error: ${sanitize(id)}: ${failure.message}`);
    }
    if (result.kind === 'interrupted') output.warn('Interrupted: stopped watching (the jobs keep running on the server).');
    else if (outcomes.size > 0 && [...outcomes.values()].includes('timed_out')) {
      output.warn(`Timed out after ${formatDuration(opts.timeout)}: ${ids.filter((id) => outcomes.get(id) === 'timed_out').map(sanitize).join(', ')} still running.`);
    }
  }
  return exitCode;
}

/** A snapshot as NDJSON: the fields scripts want, server strings left intact (toSafeJson escapes them). */
export function snapshotJson(s: JobSnapshot): Record<string, unknown> {
  return {
    jobId: s.jobId,
    status: s.status,
    phase: s.phase,
    progress: s.progress ?? null,
    completedSteps: s.completedSteps ?? null,
    totalSteps: s.totalSteps ?? null,
    message: s.message ?? null,
    observedAt: new Date(s.observedAt).toISOString(),
  };
}
