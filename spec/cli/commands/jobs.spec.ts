import { expect } from 'chai';
import { ExitCode } from '../../../lib/cli/exit-codes.js';
import { KEY, startFixture, type Fixture } from '../cli-fixture.js';
import { CONTROL_CHARS, runCli } from '../run-cli.js';

describe('cli jobs (built binary against the emulator)', function () {
  this.timeout(30_000);
  let fx: Fixture;
  let done: string;
  let running: string;
  before(async () => {
    fx = await startFixture();
    done = await fx.appendJob(5);
    await fx.ended(done);
    fx.emulator.control.pause();
    running = await fx.appendJob(5);
    fx.emulator.control.forceJobState(running, { status: 'Running', message: 'busy \u001b[31mred' });
  });
  after(() => fx.close());

  it('--json prints one JSON array that parses; unfinished jobs only unless --completed', async () => {
    const open = await runCli(['jobs', '--json'], { env: fx.env });
    expect(open.code, open.stderr).to.equal(ExitCode.Ok);
    const openJobs = JSON.parse(open.stdout) as { jobId: string; status: string; jobType: string; createdAt: string }[];
    expect(openJobs.map((j) => j.jobId)).to.deep.equal([running]);
    expect(openJobs[0]).to.include({ status: 'Running', jobType: 'uploadDatasetItems' });

    const all = await runCli(['jobs', '--json', '--completed'], { env: fx.env });
    expect((JSON.parse(all.stdout) as { jobId: string }[]).map((j) => j.jobId)).to.have.members([done, running]);
  });

  it('prints a table, newest first, without escape sequences', async () => {
    const run = await runCli(['jobs', '--completed', '--type', 'uploadDatasetItems', '--limit', '10', '--from', '2000-01-01'], { env: fx.env });
    expect(run.code, run.stderr).to.equal(ExitCode.Ok);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).to.match(/^JOB ID +TYPE +STATUS +CREATED$/);
    expect(lines.slice(2).map((l) => l.split(/\s+/)[0])).to.deep.equal([running, done]);
    expect(run.stdout).to.not.match(CONTROL_CHARS);
  });

  it('filters by type, dataset and dates', async () => {
    const none = await runCli(['jobs', '--json', '--completed', '--type', 'uploadAnnotations'], { env: fx.env });
    expect(JSON.parse(none.stdout)).to.deep.equal([]);
    const future = await runCli(['jobs', '--json', '--completed', '--from', '2999-01-01'], { env: fx.env });
    expect(JSON.parse(future.stdout)).to.deep.equal([]);
    const datasetId = fx.emulator.control.jobState(done)?.datasetId ?? '';
    const one = await runCli(['jobs', '--json', '--completed', '--dataset', datasetId], { env: fx.env });
    expect((JSON.parse(one.stdout) as { jobId: string }[]).map((j) => j.jobId)).to.deep.equal([done]);
    const empty = await runCli(['jobs'], { env: { ...fx.env, NUCLEUS_ENDPOINT: fx.emulator.url } });
    expect(empty.stdout).to.contain(running);
    for (const r of [none, future, one, empty]) expect(r.stdout + r.stderr).to.not.contain(KEY);
  });
});
