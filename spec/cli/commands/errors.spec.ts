import { expect } from 'chai';
import { ExitCode } from '../../../lib/cli/exit-codes.js';
import { KEY, startFixture, type Fixture } from '../cli-fixture.js';
import { CONTROL_CHARS, runCli } from '../run-cli.js';

describe('cli errors (built binary against the emulator)', function () {
  this.timeout(30_000);
  let fx: Fixture;
  before(async () => {
    fx = await startFixture();
  });
  after(() => fx.close());

  it('prints one error per line: reference id, then the message', async () => {
    const jobId = await fx.annotateJob(20, 3);
    await fx.ended(jobId);
    const run = await runCli(['errors', jobId], { env: fx.env });
    expect(run.code, run.stderr).to.equal(ExitCode.Ok);
    expect(run.stdout.trim().split('\n')).to.deep.equal([
      "missing_0  Item with id missing_0 doesn't exist.",
      "missing_1  Item with id missing_1 doesn't exist.",
      "missing_2  Item with id missing_2 doesn't exist.",
    ]);
  });

  it('--json prints NDJSON records that parse', async () => {
    const jobId = await fx.annotateJob(10, 2);
    await fx.ended(jobId);
    const run = await runCli(['errors', jobId, '--json'], { env: fx.env });
    expect(run.code, run.stderr).to.equal(ExitCode.Ok);
    const records = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.map((r) => r['referenceId'])).to.deep.equal(['missing_0', 'missing_1']);
    expect(records[0]).to.include({ jobId, message: "Item with id missing_0 doesn't exist." });
    expect(records[0]?.['raw']).to.be.a('string');
  });

  it('--follow waits for errors of a job still queued and returns when the job ends', async () => {
    const jobId = await fx.annotateJob(300, 2, { paused: true });
    // No error exists yet: the engine resumes only once the CLI is following.
    const resume = setTimeout(() => fx.emulator.control.resume(), 1000);
    const run = await runCli(['errors', jobId, '--follow'], { env: fx.env });
    clearTimeout(resume);
    expect(run.code, run.stderr).to.equal(ExitCode.Ok);
    expect(run.stdout.trim().split('\n')).to.deep.equal([
      "missing_0  Item with id missing_0 doesn't exist.",
      "missing_1  Item with id missing_1 doesn't exist.",
    ]);
    expect(fx.emulator.control.jobState(jobId)?.status).to.equal('Errored_Partial');
  });

  it('says so when a job has no errors, and exits 5 for an unknown job', async () => {
    const jobId = await fx.appendJob(3);
    await fx.ended(jobId);
    const none = await runCli(['errors', jobId], { env: fx.env });
    expect(none.code).to.equal(ExitCode.Ok);
    expect(none.stdout).to.equal('');
    expect(none.stderr).to.equal(`No errors for ${jobId}.\n`);
    const unknown = await runCli(['errors', 'job_nope'], { env: fx.env });
    expect(unknown.code).to.equal(ExitCode.ApiError);
    expect(unknown.stderr.trim().split('\n')).to.have.length(1);
    for (const r of [none, unknown]) {
      expect(r.stdout + r.stderr).to.not.contain(KEY);
      expect(r.stdout + r.stderr).to.not.match(CONTROL_CHARS);
    }
  });
});
