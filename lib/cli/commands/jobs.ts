/**
 * `nucleus-rx jobs`: the jobs of the account as a table (or a JSON array).
 */
import type { CliContext } from '../context.js';
import { runUntilInterrupted } from '../context.js';
import { createClient } from '../client.js';
import { ExitCode } from '../exit-codes.js';
import { reportFailure } from '../failure.js';
import { jobsTable, type JobRow } from '../jobs-table.js';

export interface JobsOptions {
  readonly completed?: boolean;
  readonly type?: readonly string[];
  readonly dataset?: string;
  readonly from?: string;
  readonly to?: string;
  readonly limit: number;
  readonly endpoint?: string;
  readonly json?: boolean;
}

export async function jobsCommand(opts: JobsOptions, ctx: CliContext): Promise<ExitCode> {
  const { output } = ctx;
  const { client, endpoint } = createClient(opts, ctx);
  const list$ = client.listJobs({
    showCompleted: opts.completed === true,
    ...(opts.type ? { jobTypes: opts.type } : {}),
    ...(opts.dataset !== undefined ? { datasetId: opts.dataset } : {}),
    ...(opts.from !== undefined ? { fromDate: opts.from } : {}),
    ...(opts.to !== undefined ? { toDate: opts.to } : {}),
    limit: opts.limit,
  });
  let jobs: readonly JobRow[];
  try {
    const result = await runUntilInterrupted(list$, ctx.interrupted$);
    if (result.kind === 'interrupted') return ExitCode.Interrupted;
    jobs = result.last ?? [];
  } catch (e) {
    return reportFailure(output, e, endpoint);
  }
  if (opts.json) {
    output.json(jobs.map((j) => ({ jobId: j.jobId, jobType: j.jobType, status: j.lastKnownStatus, createdAt: j.createdAt })));
  } else if (jobs.length === 0) {
    output.line(opts.completed ? 'No jobs.' : 'No unfinished jobs (add --completed to see finished ones).');
  } else {
    for (const line of jobsTable(jobs)) output.line(line);
  }
  return ExitCode.Ok;
}
