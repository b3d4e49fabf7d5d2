import { expect } from 'chai';
import { jobsTable } from '../../lib/cli/jobs-table.js';

describe('cli/jobs-table', () => {
  it('lists newest first with sanitised cells', () => {
    const lines = jobsTable([
      { jobId: 'job_a', jobType: 'uploadDatasetItems', lastKnownStatus: 'Completed', createdAt: '2026-11-28T10:00:00Z' },
      { jobId: 'job_b', jobType: 'upload\u001b[2JAnnotations', lastKnownStatus: 'Errored_Partial', createdAt: '2026-11-28T10:05:00Z' },
    ]);
    expect(lines).to.deep.equal([
      'JOB ID  TYPE                STATUS           CREATED',
      '------  ------------------  ---------------  --------------------',
      'job_b   uploadAnnotations   Errored_Partial  2026-11-28T10:05:00Z',
      'job_a   uploadDatasetItems  Completed        2026-11-28T10:00:00Z',
    ]);
  });
});
