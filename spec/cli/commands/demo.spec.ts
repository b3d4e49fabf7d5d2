import { expect } from 'chai';
import { ExitCode } from '../../../lib/cli/exit-codes.js';
import { DEMO_API_KEY } from '../../../lib/emulator/index.js';
import { CONTROL_CHARS, runCli } from '../run-cli.js';

describe('cli demo (built binary)', function () {
  this.timeout(30_000);

  it('runs append then annotate on its own emulator, prints the summary and the bad reference ids, exits 0', async () => {
    const run = await runCli(['demo', '--items', '300', '--bad', '3', '--speed', '40']);
    expect(run.code, run.stderr).to.equal(ExitCode.Ok);
    expect(run.stdout).to.match(/a local Nucleus emulator at http:\/\/127\.0\.0\.1:\d+\/v1\/nucleus/);
    expect(run.stdout).to.match(/append +job_\w+ +Completed +100%/);
    expect(run.stdout).to.match(/annotate +job_\w+ +Errored_Partial/);
    expect(run.stdout).to.contain('Summary');
    expect(run.stdout).to.contain('300 items').and.to.contain('303 annotations');
    expect(run.stdout).to.match(/Errors of job_\w+ \(3\):/);
    for (const ref of ['missing_001', 'missing_002', 'missing_003']) expect(run.stdout).to.contain(`${ref}  Item with id ${ref} doesn't exist.`);
    expect(run.stdout).to.contain('As designed');
    // Off a terminal: plain lines, no bars, no colour, no cursor movement.
    expect(run.stdout + run.stderr).to.not.match(CONTROL_CHARS);
    expect(run.stdout + run.stderr).to.not.contain(DEMO_API_KEY);
  });

  it('--json prints NDJSON events ending in a summary that is as designed', async () => {
    const run = await runCli(['demo', '--items', '100', '--bad', '2', '--speed', '40', '--json']);
    expect(run.code, run.stderr).to.equal(ExitCode.Ok);
    const events = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events[0]).to.include({ event: 'start', items: 100, annotations: 102 });
    expect(events.filter((e) => e['event'] === 'snapshot').map((e) => e['step'])).to.include.members(['append', 'annotate']);
    expect(events.filter((e) => e['event'] === 'error').map((e) => e['referenceId'])).to.deep.equal(['missing_001', 'missing_002']);
    const summary = events[events.length - 1];
    expect(summary).to.deep.include({ event: 'summary', asDesigned: true });
    expect((summary?.['jobs'] as { status: string }[]).map((j) => j.status)).to.deep.equal(['Completed', 'Errored_Partial']);
  });

  it('with no bad annotations the chain completes and the demo still exits 0', async () => {
    const run = await runCli(['demo', '--items', '50', '--bad', '0', '--speed', '40']);
    expect(run.code, run.stderr).to.equal(ExitCode.Ok);
    expect(run.stdout).to.match(/annotate +job_\w+ +Completed/);
    expect(run.stdout).to.contain('As designed: every item and annotation landed.');
  });

  it('stops cleanly on Ctrl-C: exit 130, a one-line note, no stack', async () => {
    const run = await runCli(['demo', '--items', '3000', '--speed', '1'], { onStdout: { match: /append +job_\w+ +Running/, then: (child) => child.kill('SIGINT') } });
    expect(run.code, run.stderr).to.equal(ExitCode.Interrupted);
    expect(run.stderr).to.equal('Interrupted: demo stopped, emulator closed.\n');
    expect(run.stdout).to.not.contain('Summary');
  });

  it('refuses bad sizes with a one-line message', async () => {
    const run = await runCli(['demo', '--items', 'lots']);
    expect(run.code).to.equal(ExitCode.Usage);
    expect(run.stderr.trim().split('\n')).to.have.length(1);
    expect(run.stderr).to.contain("'--items <n>'");
  });
});
