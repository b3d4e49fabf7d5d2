import { expect } from 'chai';
import { JobProgress } from '../../lib/cli/job-progress.js';
import { Output } from '../../lib/cli/output.js';
import { ProgressLines } from '../../lib/cli/progress-lines.js';
import { memoryStream } from './output.spec.js';
import { snap } from './job-progress.spec.js';

describe('cli/progress-lines', () => {
  it('prints a line on status changes and each tenth of progress, nothing in between, no escapes', () => {
    const out = memoryStream(false);
    let now = 0;
    const view = new ProgressLines(new Output(out, memoryStream(), {}), () => now);
    const j = new JobProgress('append');
    view.add(j);
    const feed = (s: ReturnType<typeof snap>, t: number) => {
      now = t;
      j.observe(s, t);
      view.changed(j);
    };
    feed(snap('Queued', undefined), 0);
    feed(snap('Running', 0.0, { completedSteps: 0, totalSteps: 100 }), 1000);
    feed(snap('Running', 0.05, { completedSteps: 5, totalSteps: 100 }), 1500);
    feed(snap('Running', 0.12, { completedSteps: 12, totalSteps: 100 }), 2000);
    feed(snap('Running', 0.15, { completedSteps: 15, totalSteps: 100 }), 2500);
    feed(snap('Completed', 1, { message: 'done \u001b[1mok', completedSteps: 100, totalSteps: 100 }), 3000);
    view.stop();
    expect(out.text().split('\n')).to.deep.equal([
      'append  job_1  Queued  --  elapsed 0.0s  ETA --',
      'append  job_1  Running  0%  0/100  elapsed 1.0s  ETA --',
      'append  job_1  Running  12%  12/100  elapsed 2.0s  ETA 7.3s',
      'append  job_1  Completed  100%  100/100  elapsed 3.0s  done ok',
      '',
    ]);
  });
});
