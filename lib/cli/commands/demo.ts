/**
 * `nucleus-rx demo` (what `npm start` runs): the library at work, live, on an embedded emulator.
 *
 * Starts the emulator on a free loopback port, creates a dataset, then runs a `concatJobs` chain:
 * append a few thousand items, and once that completed, annotate them, a handful of annotations
 * naming items that do not exist. Shows a bar per job, then a summary and the annotate job's
 * errors, and checks them against what it planted: exit 0 when exactly the planted bad reference ids
 * were reported, 1 otherwise.
 */
import { DEMO_API_KEY, startEmulator } from '../../emulator/index.js';
import { isJobError } from '../../errors.js';
import { jobOf } from '../../job-registry.js';
import type { JobErrorRecord } from '../../job-error-record.js';
import { NucleusClient } from '../../nucleus-client.js';
import { concatJobs, type StepSnapshot } from '../../operators/concat-jobs.js';
import { exponentialBackoff } from '../../policies/exponential-backoff.js';
import type { CliContext } from '../context.js';
import { runUntilInterrupted } from '../context.js';
import { checkDemo, demoPlan, type DemoCheck } from '../demo-plan.js';
import { formatErrorRecord } from '../error-record-format.js';
import { ExitCode } from '../exit-codes.js';
import { reportFailure } from '../failure.js';
import { formatDuration } from '../format.js';
import { JobProgress } from '../job-progress.js';
import type { Output } from '../output.js';
import { createProgressView } from '../progress-view.js';
import { sanitize } from '../sanitize.js';
import { snapshotJson } from './watch.js';

export interface DemoOptions {
  /** Dataset items to append. */
  readonly items: number;
  /** Annotations naming missing items. */
  readonly bad: number;
  /** The emulator's speed factor: 1 processes 200 lines a second. */
  readonly speed: number;
  readonly json?: boolean;
}

// Fast enough for a smooth bar, gentle on the emulator.
const DEMO_POLICY = exponentialBackoff({ initialDelayMs: 100, factor: 1.5, maxDelayMs: 400 });
const LABELS = ['append', 'annotate'] as const;

export async function demoCommand(opts: DemoOptions, ctx: CliContext): Promise<ExitCode> {
  const { output } = ctx;
  const plan = demoPlan(opts.items, opts.bad);
  const emulator = await startEmulator({ speed: opts.speed });
  try {
    const client = new NucleusClient({ apiKey: DEMO_API_KEY, endpoint: emulator.url, polling: { policy: DEMO_POLICY } });
    if (opts.json) {
      output.json({ event: 'start', endpoint: emulator.url, items: plan.items.length, annotations: plan.annotations.length, badReferenceIds: plan.badReferenceIds });
    } else {
      output.line(output.paint('bold', 'nucleus-rx demo') + ` — a local Nucleus emulator at ${emulator.url}`);
      output.line(
        `Appending ${plan.items.length} items, then annotating them (${plan.annotations.length} annotations, ` +
          `${plan.badReferenceIds.length} of which name items that do not exist) with concatJobs(append, annotate).`,
      );
      output.line(output.isTTY ? 'Ctrl-C stops.' : '');
    }

    const created = await runUntilInterrupted(client.createDataset({ name: 'nucleus-rx demo' }), ctx.interrupted$);
    if (created.kind === 'interrupted' || created.last === undefined) return interrupted(output);
    const dataset = created.last;
    if (opts.json) output.json({ event: 'dataset', datasetId: dataset.id });
    else output.line(`Dataset ${sanitize(dataset.id)} created.\n`);

    const rows = LABELS.map((label) => new JobProgress(label));
    const view = opts.json ? undefined : createProgressView(output);
    for (const row of rows) view?.add(row);
    const chain$ = concatJobs(
      () => dataset.append(plan.items, { asynchronous: true }),
      () => dataset.annotate(plan.annotations, { asynchronous: true }),
      { errorsLimit: 0 },
    );
    let failure: unknown;
    let run;
    try {
      run = await runUntilInterrupted(chain$, ctx.interrupted$, (s: StepSnapshot) => {
        const row = rows[s.step];
        if (!row) return;
        row.observe(s, Date.now());
        if (opts.json) output.json({ event: 'snapshot', step: LABELS[s.step], ...snapshotJson(s) });
        else view?.changed(row);
      });
    } catch (e) {
      failure = e;
      // completeOrThrow turns the failed terminal snapshot into the error: show it on its row.
      const snapshot = (e as { snapshot?: StepSnapshot }).snapshot;
      const row = snapshot && rows.find((r) => r.snapshot?.jobId === snapshot.jobId);
      if (snapshot && row) {
        row.observe(snapshot, Date.now());
        if (opts.json) output.json({ event: 'snapshot', step: row.label, ...snapshotJson(snapshot) });
        else view?.changed(row);
      }
    } finally {
      view?.stop();
    }
    if (run?.kind === 'interrupted') return interrupted(output);

    // As designed: with bad annotations, the annotate job (step 2) ends Errored_Partial and the chain
    // errors with its JobError; without, the chain completes.
    const annotateJobId = rows[1]?.snapshot?.jobId;
    const expectedFailure = isJobError(failure) && failure.jobId === annotateJobId && failure.status === 'Errored_Partial';
    if (failure !== undefined && !expectedFailure) {
      if (!opts.json) output.line('');
      reportFailure(output, failure, emulator.url);
      if (opts.json) output.json({ event: 'summary', asDesigned: false, error: sanitize(failure instanceof Error ? failure.message : failure) });
      else output.line('Not as designed: the chain should have failed only on the annotations naming missing items.');
      return ExitCode.JobFailed;
    }

    // Every error line of the annotate job, not just the first few the JobError carries.
    const records: JobErrorRecord[] = [];
    const last = rows[1]?.snapshot;
    const job = last && jobOf(last);
    if (job) {
      const fetched = await runUntilInterrupted(job.errors$(), ctx.interrupted$, (r) => records.push(r));
      if (fetched.kind === 'interrupted') return interrupted(output);
    }
    const check = checkDemo(plan.badReferenceIds, records.map((r) => r.referenceId));
    printSummary(output, opts, rows, records, check, plan.items.length, plan.annotations.length);
    return check.asDesigned ? ExitCode.Ok : ExitCode.JobFailed;
  } catch (e) {
    return reportFailure(output, e, emulator.url);
  } finally {
    await emulator.close();
  }
}

function interrupted(output: Output): ExitCode {
  output.warn('Interrupted: demo stopped, emulator closed.');
  return ExitCode.Interrupted;
}

function printSummary(
  output: Output,
  opts: DemoOptions,
  rows: readonly JobProgress[],
  records: readonly JobErrorRecord[],
  check: DemoCheck,
  items: number,
  annotations: number,
): void {
  const now = Date.now();
  if (opts.json) {
    for (const r of records) output.json({ event: 'error', jobId: rows[1]?.snapshot?.jobId ?? null, referenceId: r.referenceId ?? null, message: r.message });
    output.json({
      event: 'summary',
      asDesigned: check.asDesigned,
      jobs: rows.map((row) => ({ step: row.label, ...(row.snapshot ? snapshotJson(row.snapshot) : {}), elapsedMs: row.row(now).elapsedMs ?? null })),
      badReferenceIds: { reported: check.reported, unreported: check.unreported, unexpected: check.unexpected, unattributed: check.unattributed },
    });
    return;
  }
  const counts = [`${items} items`, `${annotations} annotations`];
  output.line('');
  output.line(output.paint('bold', 'Summary'));
  rows.forEach((row, i) => {
    const r = row.row(now);
    const status = r.phase === 'succeeded' ? output.paint('green', r.status) : r.phase === 'failed' ? output.paint('red', r.status) : r.status;
    output.line(`  ${r.label.padEnd(9)} ${r.jobId ?? '(not started)'}  ${status}  ${counts[i]} in ${formatDuration(r.elapsedMs)}${r.message ? `: ${r.message}` : ''}`);
  });
  const annotateId = rows[1]?.row(now).jobId;
  if (records.length > 0) {
    output.line('');
    output.line(output.paint('bold', `Errors of ${annotateId ?? 'the annotate job'} (${records.length}):`));
    for (const r of records) output.line(`  ${formatErrorRecord(r)}`);
  }
  output.line('');
  if (check.asDesigned) {
    output.line(
      check.reported.length > 0
        ? output.paint('green', `As designed: the ${check.reported.length} annotations naming missing items (${check.reported.join(', ')}) were rejected and reported; everything else landed.`)
        : output.paint('green', 'As designed: every item and annotation landed.'),
    );
  } else {
    output.line(output.paint('red', 'Not as designed:'));
    if (check.unreported.length > 0) output.line(`  planted but not reported: ${check.unreported.join(', ')}`);
    if (check.unexpected.length > 0) output.line(`  reported but not planted: ${check.unexpected.map(sanitize).join(', ')}`);
    if (check.unattributed > 0) output.line(`  errors naming no item: ${check.unattributed}`);
  }
}
