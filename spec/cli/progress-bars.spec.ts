import { expect } from 'chai';
import { JobProgress } from '../../lib/cli/job-progress.js';
import { Output } from '../../lib/cli/output.js';
import { ProgressBars } from '../../lib/cli/progress-bars.js';
import { createProgressView } from '../../lib/cli/progress-view.js';
import { ProgressLines } from '../../lib/cli/progress-lines.js';
import { memoryStream } from './output.spec.js';
import { snap } from './job-progress.spec.js';

// Strips what cli-progress writes to move the cursor, leaving the drawn text.
const visible = (s: string) => s.replace(/\u001b\[[0-9;?]*[A-La-ln-z]|\u001b[78]/g, '');

describe('cli/progress-bars', () => {
  it('is chosen for a terminal, lines otherwise', () => {
    const bars = createProgressView(new Output(memoryStream(true), memoryStream(), {}));
    expect(bars).to.be.instanceOf(ProgressBars);
    bars.stop();
    expect(createProgressView(new Output(memoryStream(false), memoryStream(), {}))).to.be.instanceOf(ProgressLines);
  });

  it('draws a bar per job with percentage, status, steps and timing, coloured by outcome', () => {
    const out = memoryStream(true);
    let now = 0;
    const view = new ProgressBars(new Output(out, memoryStream(), {}), () => now);
    const append = new JobProgress('append');
    const annotate = new JobProgress('annotate');
    view.add(append);
    view.add(annotate);
    now = 2000;
    append.observe(snap('Completed', 1, { completedSteps: 3000, totalSteps: 3000 }), 2000);
    view.changed(append);
    annotate.observe(snap('Errored_Partial', 1, { message: 'done \u001b]0;x\u0007with errors' }), 2000);
    view.changed(annotate);
    view.stop();
    view.stop();
    const text = visible(out.text());
    expect(text).to.contain(`append    ${'█'.repeat(24)} 100%  \u001b[32mCompleted      \u001b[39m  3000/3000  elapsed 0.0s`);
    expect(text).to.contain('annotate');
    expect(text).to.contain('\u001b[31mErrored_Partial\u001b[39m');
    expect(text).to.contain('done with errors');
    expect(text).to.not.contain(']0;x');
  });

  it('paints nothing under NO_COLOR', () => {
    const out = memoryStream(true);
    const view = new ProgressBars(new Output(out, memoryStream(), { NO_COLOR: '1' }), () => 0);
    const j = new JobProgress('append');
    view.add(j);
    j.observe(snap('Cancelled', 0.5), 0);
    view.changed(j);
    view.stop();
    expect(out.text()).to.contain('Cancelled');
    expect(out.text()).to.not.match(/\u001b\[3\dm/);
  });
});
