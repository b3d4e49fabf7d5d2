import { expect } from 'chai';
import { ExitCode } from '../../lib/cli/exit-codes.js';
import { VERSION } from '../../lib/cli/version.js';
import { KEY, startFixture, type Fixture } from './cli-fixture.js';
import { CONTROL_CHARS, runCli, type CliRun } from './run-cli.js';

describe('cli program: bad input (built binary)', function () {
  this.timeout(30_000);
  let fx: Fixture;
  const runs: CliRun[] = [];
  const cli = async (args: string[], env: Record<string, string>) => {
    const r = await runCli(args, { env });
    runs.push(r);
    return r;
  };
  const oneLineError = (r: CliRun, code: number, text: string | RegExp) => {
    expect(r.code, r.stderr).to.equal(code);
    expect(r.stdout).to.equal('');
    expect(r.stderr.endsWith('\n') && r.stderr.trim().split('\n').length === 1, r.stderr).to.equal(true);
    expect(r.stderr).to.match(/^error: /);
    if (typeof text === 'string') expect(r.stderr).to.contain(text);
    else expect(r.stderr).to.match(text);
    expect(r.stderr).to.not.match(/\n\s+at |node:internal/);
  };

  before(async () => {
    fx = await startFixture();
  });
  after(async () => {
    await fx.close();
    // Whatever happened above, the key never showed, and nothing printed an escape sequence.
    for (const r of runs) {
      expect(r.stdout + r.stderr).to.not.contain(KEY);
      expect(r.stdout + r.stderr).to.not.match(CONTROL_CHARS);
    }
  });

  it('unknown command, unknown option, missing or malformed job id', async () => {
    oneLineError(await cli(['frobnicate'], fx.env), ExitCode.Usage, "unknown command 'frobnicate'");
    oneLineError(await cli(['jbos'], fx.env), ExitCode.Usage, /unknown command 'jbos'.*Did you mean jobs\?/);
    oneLineError(await cli(['jobs', '--bogus'], fx.env), ExitCode.Usage, "unknown option '--bogus'");
    oneLineError(await cli(['watch'], fx.env), ExitCode.Usage, "missing required argument 'jobId'");
    oneLineError(await cli(['errors'], fx.env), ExitCode.Usage, "missing required argument 'jobId'");
    oneLineError(await cli(['watch', '../etc/passwd'], fx.env), ExitCode.Usage, 'Not a job id');
  });

  it('malformed dates and numbers', async () => {
    oneLineError(await cli(['jobs', '--from', 'yesterday'], fx.env), ExitCode.Usage, "option '--from <date>' argument 'yesterday' is invalid");
    oneLineError(await cli(['jobs', '--to', '2026-02-31'], fx.env), ExitCode.Usage, 'No such date');
    oneLineError(await cli(['jobs', '--limit', '0'], fx.env), ExitCode.Usage, '--limit');
    oneLineError(await cli(['watch', 'job_1', '--timeout', 'soon'], fx.env), ExitCode.Usage, '--timeout');
  });

  it('no key, a bad endpoint, an unreachable endpoint, a wrong key', async () => {
    oneLineError(await cli(['jobs'], { NUCLEUS_ENDPOINT: fx.emulator.url }), ExitCode.Usage, 'NUCLEUS_API_KEY is not set');
    oneLineError(await cli(['jobs', '--endpoint', 'not a url'], fx.env), ExitCode.Usage, 'not a URL');
    oneLineError(await cli(['jobs', '--endpoint', `https://${KEY}@example.com/v1`], fx.env), ExitCode.Usage, 'must not contain credentials');
    oneLineError(await cli(['jobs', '--endpoint', 'http://example.com/v1'], fx.env), ExitCode.Usage, 'plain http://');
    oneLineError(await cli(['jobs', '--endpoint', 'http://127.0.0.1:1/v1'], fx.env), ExitCode.Unreachable, /^error: cannot reach http:\/\/127\.0\.0\.1:1\/v1: POST jobs\/ failed: no answer from the server/);
    oneLineError(await cli(['jobs'], { ...fx.env, NUCLEUS_API_KEY: `${KEY}_wrong` }), ExitCode.ApiError, 'the server refused the API key (401)');
    oneLineError(await cli(['watch', 'job_1'], { ...fx.env, NUCLEUS_API_KEY: `${KEY}_wrong` }), ExitCode.ApiError, 'the server refused the API key (401)');
  });

  it('--help and --version exit 0 on stdout; no command at all shows the help and exits 2', async () => {
    const help = await cli(['--help'], fx.env);
    expect(help.code).to.equal(ExitCode.Ok);
    expect(help.stdout).to.contain('Usage: nucleus-rx').and.to.contain('Exit codes:');
    const watchHelp = await cli(['watch', '--help'], fx.env);
    expect(watchHelp.stdout).to.contain('--timeout <seconds>').and.to.not.contain('--key');
    const version = await cli(['--version'], fx.env);
    expect(version).to.deep.include({ code: ExitCode.Ok, stdout: `${VERSION}\n` });
    const none = await cli([], fx.env);
    expect(none.code).to.equal(ExitCode.Usage);
    expect(none.stderr).to.contain('Usage: nucleus-rx');
  });
});
