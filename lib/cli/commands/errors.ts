/**
 * `nucleus-rx errors <jobId> [--follow]`: a job's errors, one per line (`<referenceId>  <message>`),
 * or NDJSON with `--json`. `--follow` keeps printing new ones until the job ends.
 */
import { switchMap } from 'rxjs';
import { createClient } from '../client.js';
import type { CliContext } from '../context.js';
import { runUntilInterrupted } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { reportFailure } from '../failure.js';
import { formatErrorRecord } from '../error-record-format.js';

export interface ErrorsOptions {
  readonly follow?: boolean;
  readonly endpoint?: string;
  readonly json?: boolean;
}

export async function errorsCommand(jobId: string, opts: ErrorsOptions, ctx: CliContext): Promise<ExitCode> {
  const { output } = ctx;
  const { client, endpoint } = createClient(opts, ctx);
  const errors$ = client.getJob(jobId).pipe(switchMap((job) => job.errors$({ live: opts.follow === true })));
  let count = 0;
  try {
    const result = await runUntilInterrupted(errors$, ctx.interrupted$, (record) => {
      count++;
      if (opts.json) {
        output.json({ jobId, referenceId: record.referenceId ?? null, annotationId: record.annotationId ?? null, message: record.message, raw: record.raw });
      } else {
        output.line(formatErrorRecord(record));
      }
    });
    if (result.kind === 'interrupted') return ExitCode.Interrupted;
  } catch (e) {
    return reportFailure(output, e, endpoint);
  }
  if (count === 0 && !opts.json) output.warn(`No errors for ${jobId}.`);
  return ExitCode.Ok;
}
