// An emulator in a child process, driven over its HTTP control API: the test process then holds only
// the client's own timers and sockets, so `process.getActiveResourcesInfo()` shows exactly those.
import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import type { EmulatorOptions, FaultConfig } from '../../../lib/emulator/index.js';

export interface ChildEmulator {
  readonly url: string;
  readonly origin: string;
  control(method: string, path: string, body?: unknown): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  setFaults(config: FaultConfig | undefined): Promise<void>;
  /** Requests the emulator received for a route so far (`job.status`, `upload.put`, ...). */
  requests(route: string): Promise<number>;
  /** Resolves once the emulator has received `n` requests for `route` (polls, bounded). */
  waitForRequests(route: string, n: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startChildEmulator(options: Omit<EmulatorOptions, 'clock'> = {}): Promise<ChildEmulator> {
  const entry = require.resolve('../../../lib/emulator/index.js');
  const script = `
    const { startEmulator } = require(${JSON.stringify(entry)});
    startEmulator(JSON.parse(process.argv[1])).then((emu) => {
      process.stdout.write(emu.url + '\\n');
      process.on('disconnect', () => process.exit(0));
      process.stdin.on('end', () => emu.close().then(() => process.exit(0)));
      process.stdin.resume();
    });`;
  const child: ChildProcess = spawn(process.execPath, ['-e', script, JSON.stringify(options)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      const nl = out.indexOf('\n');
      if (nl !== -1) resolve(out.slice(0, nl).trim());
    });
    child.once('exit', (code) => reject(new Error(`emulator child exited with ${code}`)));
  });
  const origin = new URL(url).origin;
  // The child's pipes are the test's own business: unref them so they never count as a leak.
  for (const s of [child.stdin, child.stdout]) (s as unknown as { unref?: () => void } | null)?.unref?.();
  child.unref();

  const control = (method: string, path: string, body?: unknown): Promise<any> => // eslint-disable-line @typescript-eslint/no-explicit-any
    new Promise((resolve, reject) => {
      // agent: false and Connection: close: a pooled socket of the control channel would look like a leak.
      const req = httpRequest(`${origin}/__emulator/${path}`, { method, agent: false, headers: { connection: 'close', ...(body === undefined ? {} : { 'content-type': 'application/json' }) } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          if ((res.statusCode ?? 0) >= 400) reject(new Error(`control ${method} ${path} answered ${res.statusCode}: ${text}`));
          else resolve(text === '' ? undefined : JSON.parse(text));
        });
      });
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  const requests = async (route: string): Promise<number> => ((await control('GET', 'counters')).requests[route] as number | undefined) ?? 0;
  return {
    url,
    origin,
    control,
    setFaults: async (config) => void (config === undefined ? await control('DELETE', 'faults') : await control('PUT', 'faults', config)),
    requests,
    async waitForRequests(route, n) {
      for (let i = 0; i < 200; i++) {
        if ((await requests(route)) >= n) return;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`the emulator never received ${n} ${route} request(s)`);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin!.end();
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
