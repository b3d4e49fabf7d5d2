import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { DEMO_API_KEY } from '../../lib/emulator/index.js';
import { parseArgs } from '../../lib/emulator/main.js';
import { call } from './helpers.js';

/** Starts main.js, waits for its banner, hands it to `use`, then stops it with SIGTERM. */
async function withMain(args: string[], env: Record<string, string>, use: (banner: string) => Promise<void>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [require.resolve('../../lib/emulator/main.js'), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    while (!output.includes('control API:')) {
      if (child.exitCode !== null) throw new Error(`main exited early: ${output}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await use(output);
  } finally {
    child.kill('SIGTERM');
  }
  return { code: await exited, output };
}

describe('emulator: command-line entry (main.js)', () => {
  it('parses flags and reads keys from the environment only', () => {
    expect(parseArgs(['--port', '4000', '--speed=10', '--host', '127.0.0.1', '--lines-per-step', '5', '--step-ms', '20', '--queue-ms', '0'], {})).to.deep.equal({
      port: 4000, speed: 10, host: '127.0.0.1', linesPerStep: 5, stepMs: 20, queueMs: 0,
    });
    expect(parseArgs([], { NUCLEUS_EMULATOR_API_KEYS: 'a, b,', NUCLEUS_EMULATOR_LIMITED_KEYS: 'c' })).to.deep.equal({ apiKeys: ['a', 'b'], limitedAccessKeys: ['c'] });
    expect(parseArgs(['--help'], {})).to.deep.equal({ help: true });
    expect(parseArgs(['-v', '--port', '1'], {})).to.deep.equal({ verbose: true, port: 1 });
    expect(() => parseArgs(['--port'], {})).to.throw('missing value for --port');
    expect(() => parseArgs(['--port', 'x'], {})).to.throw('--port needs a number');
    expect(() => parseArgs(['--api-key', 'k'], {})).to.throw('unknown option --api-key');
  });

  it('prints the URL and the demo key by name, serves, and exits cleanly on SIGTERM', async () => {
    const { code, output } = await withMain(['--port', '0', '--speed', '100'], {}, async (banner) => {
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+\/v1\/nucleus)/.exec(banner)![1]!;
      expect((await call(`${url}/jobs/`, { body: {} })).status).to.equal(200);
    });
    expect(output).to.contain('DEMO_API_KEY');
    expect(output).not.to.contain(DEMO_API_KEY);
    expect(code).to.equal(0);
  });

  it('never prints the keys it was given', async () => {
    const secret = 'user-supplied-secret-key-0001';
    const { code, output } = await withMain(['--port', '0', '--verbose'], { NUCLEUS_EMULATOR_API_KEYS: secret }, async (banner) => {
      const url = /listening on (\S+)/.exec(banner)![1]!;
      expect((await call(`${url}/jobs/`, { key: secret, body: {} })).status).to.equal(200);
      expect((await call(`${url}/jobs/`, { body: {} })).status).to.equal(401);
    });
    expect(output).to.contain('1 API key(s) from NUCLEUS_EMULATOR_API_KEYS');
    expect(output).to.match(/req_\w+ POST jobs\.list 200 \d+ms/).and.match(/req_\w+ POST jobs\.list 401 \d+ms/);
    expect(output).not.to.contain(secret);
    expect(code).to.equal(0);
  });
});
