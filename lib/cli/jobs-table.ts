/**
 * The `nucleus-rx jobs` table.
 */
import { sanitize } from './sanitize.js';
import { renderTable, type Column } from './table.js';

/** What a row needs: a JobInfo or an AsyncJob. */
export interface JobRow {
  readonly jobId: string;
  readonly jobType: string;
  readonly lastKnownStatus: string;
  readonly createdAt: string;
}

const COLUMNS: readonly Column<JobRow>[] = [
  { header: 'JOB ID', cell: (j) => sanitize(j.jobId), maxWidth: 40 },
  { header: 'TYPE', cell: (j) => sanitize(j.jobType), maxWidth: 24 },
  { header: 'STATUS', cell: (j) => sanitize(j.lastKnownStatus), maxWidth: 20 },
  { header: 'CREATED', cell: (j) => sanitize(j.createdAt), maxWidth: 32 },
];

/**
 * The jobs as table lines, newest first, everything from the server sanitised.
 *
 * @example
 * jobsTable([{ jobId: 'job_1', jobType: 'uploadDatasetItems', lastKnownStatus: 'Completed', createdAt: '2026-11-28T10:00:00Z' }])
 */
export function jobsTable(jobs: readonly JobRow[]): string[] {
  const sorted = [...jobs].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  return renderTable(COLUMNS, sorted);
}
