import { expect } from 'chai';
import { ExitCode } from '../../../lib/cli/exit-codes.js';
import { DEMO_API_KEY } from '../../../lib/emulator/index.js';
import { runCli } from '../run-cli.js';

describe('cli emulator (built binary)', function () {
  this.timeout(30_000);

  it('serves until SIGINT with the key from NUCLEUS_API_KEY, which other commands can use; exits 0', async () => {
    const key = 'sk_emulator_spec_4411aa';
    let jobsRun: Promise<Awaited<ReturnType<typeof runCli>>> | undefined;
    const run = await runCli(['emulator', '--json'], {
      env: { NUCLEUS_API_KEY: key },
      onStdout: {
        match: /"listening"/,
        then: (child, stdout) => {
          const endpoint = (JSON.parse(stdout.split('\n')[0] ?? '{}') as { endpoint: string }).endpoint;
          jobsRun = runCli(['jobs', '--json', '--completed'], { env: { NUCLEUS_API_KEY: key, NUCLEUS_ENDPOINT: endpoint } }).finally(() => child.kill('SIGINT'));
        },
      },
    });
    const jobs = await jobsRun;
    expect(jobs?.code, jobs?.stderr).to.equal(ExitCode.Ok);
    expect(JSON.parse(jobs?.stdout ?? '')).to.deep.equal([]);
    expect(run.code, run.stderr).to.equal(ExitCode.Ok);
    const events = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events[0]?.['endpoint']).to.match(/^http:\/\/127\.0\.0\.1:\d+\/v1\/nucleus$/);
    expect(events[events.length - 1]).to.deep.equal({ event: 'stopped' });
    expect(run.stdout + run.stderr + (jobs?.stdout ?? '') + (jobs?.stderr ?? '')).to.not.contain(key);
  });

  it('warns that --key lands in shell history, and never prints it', async () => {
    const key = 'sk_flag_spec_77c2e9';
    const run = await runCli(['emulator', '--key', key], { onStdout: { match: /Ctrl-C to stop/, then: (child) => child.kill('SIGTERM') } });
    expect(run.code, JSON.stringify(run)).to.equal(ExitCode.Ok);
    expect(run.stderr).to.contain('warning: --key puts the key in your shell history');
    expect(run.stdout).to.contain('Nucleus emulator listening on http://127.0.0.1:').and.to.contain('the key given with --key');
    expect(run.stdout + run.stderr).to.not.contain(key);
  });

  it('with the demo key, says where the key to use with the other commands is (and never prints it)', async () => {
    const run = await runCli(['emulator'], { onStdout: { match: /Ctrl-C to stop/, then: (child) => child.kill('SIGINT') } });
    expect(run.code, JSON.stringify(run)).to.equal(ExitCode.Ok);
    expect(run.stdout).to.contain('the public demo key DEMO_API_KEY').and.to.contain('with NUCLEUS_API_KEY set to the demo key (docs/emulator.md)');
    expect(run.stdout).not.to.contain('with the same NUCLEUS_API_KEY');
    expect(run.stdout + run.stderr).to.not.contain(DEMO_API_KEY);
  });

  it('says in one line when the port is taken', async () => {
    let second: Awaited<ReturnType<typeof runCli>> | undefined;
    await runCli(['emulator', '--json'], {
      onStdout: {
        match: /"listening"/,
        then: (child, stdout) => {
          const port = /:(\d+)\//.exec(stdout)?.[1] ?? '0';
          void runCli(['emulator', '--port', port]).then((r) => {
            second = r;
            child.kill('SIGINT');
          });
        },
      },
    });
    expect(second?.code).to.equal(ExitCode.Usage);
    expect(second?.stderr).to.match(/^error: cannot listen on 127\.0\.0\.1:\d+: the port is in use\n$/);
  });
});
