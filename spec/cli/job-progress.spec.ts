import { expect } from 'chai';
import { JobProgress } from '../../lib/cli/job-progress.js';
import { phaseOf, type JobSnapshot } from '../../lib/job-snapshot.js';

export function snap(status: string, progress?: number, extra: Partial<JobSnapshot> = {}): JobSnapshot {
  return { jobId: 'job_1', status, phase: phaseOf(status), message: undefined, progress, completedSteps: undefined, totalSteps: undefined, observedAt: 0, ...extra };
}

describe('cli/job-progress', () => {
  it('is Waiting before the job exists, then shows status, elapsed and ETA', () => {
    const j = new JobProgress('annotate');
    expect(j.row(0)).to.include({ label: 'annotate', status: 'Waiting', phase: 'waiting', jobId: undefined, elapsedMs: undefined });
    j.start('job_1', 1000);
    expect(j.row(1500)).to.include({ status: 'Starting', jobId: 'job_1', elapsedMs: 500 });
    j.observe(snap('Running', 0.1), 2000);
    j.observe(snap('Running', 0.3), 3000);
    expect(j.row(3000)).to.include({ status: 'Running', phase: 'pending', progress: 0.3, elapsedMs: 2000, etaMs: 3500 });
  });

  it('stops the clock when the job ends and drops the ETA', () => {
    const j = new JobProgress('append');
    j.observe(snap('Running', 0.5), 0);
    j.observe(snap('Errored_Partial', 0.9), 4000);
    expect(j.row(10_000)).to.include({ status: 'Errored_Partial', phase: 'failed', elapsedMs: 4000, etaMs: undefined });
  });

  it('sanitises everything that came from the server', () => {
    const j = new JobProgress('watch');
    j.observe(snap('Run\u001b[2Jning', 0.5, { jobId: 'job_\u001b]0;x\u00079', message: 'msg \u001b[31mred\r\nnext' }), 0);
    const row = j.row(0);
    expect(row).to.include({ status: 'Running', jobId: 'job_9', message: 'msg red next' });
  });
});
