import { expect } from 'chai';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { JobInfo, JobStatus } from '../../lib/codecs/job.js';

describe('JobStatus codec', () => {
  it('decodes the guide example: numbers as strings and the "total_steps:" key', () => {
    const r = JobStatus.decode({
      job_id: 'job_c19xcf9mkws46gah0000',
      status: 'Completed',
      message: 'Job completed successfully.',
      job_progress: '0.33',
      completed_steps: '1',
      'total_steps:': '3',
    });
    expect(isRight(r) && r.right).to.deep.equal({
      jobId: 'job_c19xcf9mkws46gah0000',
      status: 'Completed',
      message: 'Job completed successfully.',
      progress: 0.33,
      completedSteps: 1,
      totalSteps: 3,
    });
  });

  it('keeps object messages and unknown statuses', () => {
    const r = JobStatus.decode({ job_id: 'j', status: 'Frobnicating', message: { result: ['u'] }, total_steps: 4 });
    expect(isRight(r) && r.right).to.include({ status: 'Frobnicating', totalSteps: 4 });
    expect(isRight(r) && r.right.message).to.deep.equal({ result: ['u'] });
  });

  it('rejects a missing status and non-numeric progress', () => {
    expect(isLeft(JobStatus.decode({ job_id: 'j' }))).to.equal(true);
    expect(isLeft(JobStatus.decode({ job_id: 'j', status: 'Running', job_progress: 'lots' }))).to.equal(true);
    expect(isLeft(JobStatus.decode('Running'))).to.equal(true);
  });
});

describe('JobInfo codec', () => {
  it('decodes the four fields to camelCase', () => {
    const r = JobInfo.decode({
      job_id: 'job_1',
      job_last_known_status: 'Running',
      job_type: 'uploadDatasetItems',
      job_creation_time: '2026-11-28T10:00:00Z',
    });
    expect(isRight(r) && r.right).to.deep.equal({
      jobId: 'job_1',
      lastKnownStatus: 'Running',
      jobType: 'uploadDatasetItems',
      createdAt: '2026-11-28T10:00:00Z',
    });
  });
});
