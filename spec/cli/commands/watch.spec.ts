import { expect } from 'chai';
import { ExitCode } from '../../../lib/cli/exit-codes.js';
import { KEY, startFixture, type Fixture } from '../cli-fixture.js';
import { CONTROL_CHARS, runCli } from '../run-cli.js';

describe('cli watch (built binary against the emulator)', function () {
  this.timeout(30_000);
  let fx: Fixture;
  before(async () => {
    fx = await startFixture();
  });
  after(() => fx.close());
  afterEach(() => fx.emulator.control.resume());

  // A job held Queued (engine paused) until the CLI has shown it, then forced into `status`.
  async function watchForced(status: string, message?: string, extraArgs: string[] = []) {
    fx.emulator.control.pause();
    const jobId = await fx.appendJob(5);
    const run = await runCli(['watch', jobId, ...extraArgs], {
      env: fx.env,
      onStdout: {
        match: new RegExp(`${jobId}|"jobId"`),
        then: () => {
          fx.emulator.control.forceJobState(jobId, { status, ...(message !== undefined ? { message } : {}) });
        },
      },
    });
    return { jobId, run };
  }

  it('exits 0 when the job completes, with plain lines and no escape sequences off a terminal', async () => {
    const { jobId, run } = await watchForced('Completed', 'All done.');
    expect(run.code).to.equal(ExitCode.Ok);
    expect(run.stdout).to.contain(jobId).and.to.contain('Completed').and.to.contain('100%').and.to.contain('All done.');
    expect(run.stdout + run.stderr).to.not.match(CONTROL_CHARS);
  });

  it('exits 1 when the job fails', async () => {
    const { run } = await watchForced('Errored_User', 'Every line was rejected.');
    expect(run.code).to.equal(ExitCode.JobFailed);
    expect(run.stdout).to.contain('Errored_User').and.to.contain('Every line was rejected.');
  });

  it('exits 3 when the job is cancelled', async () => {
    const { run } = await watchForced('Cancelled');
    expect(run.code).to.equal(ExitCode.JobCancelled);
    expect(run.stdout).to.contain('Cancelled');
  });

  it('exits 4 when --timeout passes first, saying which job still runs', async () => {
    fx.emulator.control.pause();
    const jobId = await fx.appendJob(5);
    const run = await runCli(['watch', jobId, '--timeout', '0.5'], { env: fx.env });
    expect(run.code).to.equal(ExitCode.JobTimedOut);
    expect(run.stderr).to.contain('Timed out').and.to.contain(jobId);
  });

  it('follows a real job to completion and reports the worst outcome of several', async () => {
    const ok = await fx.appendJob(300);
    const run = await runCli(['watch', ok], { env: fx.env });
    expect(run.code).to.equal(ExitCode.Ok);
    expect(run.stdout).to.contain(ok).and.to.contain('Completed');

    fx.emulator.control.pause();
    const a = await fx.appendJob(5);
    const b = await fx.appendJob(5);
    const both = await runCli(['watch', a, b, ok], {
      env: fx.env,
      onStdout: {
        match: new RegExp(`${a}[\\s\\S]*${b}|${b}[\\s\\S]*${a}`),
        then: () => {
          fx.emulator.control.forceJobState(a, { status: 'Cancelled' });
          fx.emulator.control.forceJobState(b, { status: 'Errored_Server' });
        },
      },
    });
    expect(both.code).to.equal(ExitCode.JobFailed);
  });

  it('prints a message full of escape sequences sanitised', async () => {
    const evil = '\u001b]0;pwned\u0007\u001b[2J\u001b[31mred\u001b[0m done\r\nline two \u009b31m\u202eevil';
    const { run } = await watchForced('Completed', evil);
    expect(run.code).to.equal(ExitCode.Ok);
    expect(run.stdout).to.contain('red done line two evil');
    expect(run.stdout).to.not.match(CONTROL_CHARS);
    expect(run.stdout).to.not.contain('pwned');
    expect(run.stdout).to.not.contain('\u202e');
  });

  it('--json prints NDJSON snapshots and one result per job, escapes kept as JSON escapes', async () => {
    const { jobId, run } = await watchForced('Errored_Partial', 'half \u001b[31mdone', ['--json']);
    expect(run.code).to.equal(ExitCode.JobFailed);
    expect(run.stdout).to.not.match(CONTROL_CHARS);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.filter((l) => l['type'] === 'snapshot').length).to.be.greaterThan(0);
    const last = lines[lines.length - 1];
    expect(last).to.deep.equal({ type: 'result', jobId, outcome: 'failed', status: 'Errored_Partial', exitCode: 1 });
    const final = lines.find((l) => l['type'] === 'snapshot' && l['status'] === 'Errored_Partial');
    expect(final?.['message']).to.equal('half \u001b[31mdone');
  });

  it('exits 5 for an unknown job, 130 on Ctrl-C, and never prints the key', async () => {
    const unknown = await runCli(['watch', 'job_doesnotexist'], { env: fx.env });
    expect(unknown.code).to.equal(ExitCode.ApiError);
    expect(unknown.stderr.trim().split('\n')).to.have.length(1);
    expect(unknown.stderr).to.contain('job_doesnotexist').and.to.contain('404');

    fx.emulator.control.pause();
    const jobId = await fx.appendJob(5);
    const interrupted = await runCli(['watch', jobId], { env: fx.env, onStdout: { match: new RegExp(jobId), then: (child) => child.kill('SIGINT') } });
    expect(interrupted.code).to.equal(ExitCode.Interrupted);
    expect(interrupted.stderr).to.contain('Interrupted');
    expect(interrupted.stderr).to.not.match(/\n\s+at /);
    for (const r of [unknown, interrupted]) expect(r.stdout + r.stderr).to.not.contain(KEY);
  });
});
