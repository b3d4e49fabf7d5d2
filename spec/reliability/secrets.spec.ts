// Secrets, end to end over real HTTP: a recognisable key drives every error path of the client and
// the job streams, then the CLI (debug output on); every message, stack, JSON.stringify,
// util.inspect, stdout and stderr produced is scanned for the key and its encodings.
import { expect } from 'chai';
import { fetch as crossFetch } from 'cross-fetch';
import { inspect } from 'node:util';
import { firstValueFrom, lastValueFrom, toArray, type Observable } from 'rxjs';
import {
  AsyncJob,
  completeOrThrow,
  isAuthenticationError,
  isConfigurationError,
  isConnectionError,
  isDecodeError,
  isJobCancelledError,
  isJobError,
  isNotFoundError,
  isPermissionDeniedError,
  isRateLimitError,
  isRequestTimeoutError,
  isServerError,
  isValidationError,
  NucleusClient,
  type FetchLike,
  type JobInfo,
} from '../../lib/index.js';
import { startEmulator, type EmulatorHandle, type FaultKind } from '../../lib/emulator/index.js';
import { runCli } from '../cli/run-cli.js';

const KEY = 'rk_LEAKCHECK_4d1c9f2e7b';
const WRONG_KEY = 'rk_WRONGKEY_LEAKCHECK_77a0';

/** Every form a key could escape in: as is, HTTP Basic token, bare base64, URL-encoded, a recognisable half. */
function forms(key: string): string[] {
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  return [key, b64(`${key}:`), b64(key), encodeURIComponent(key), b64(`${key}:`).replace(/=+$/, ''), key.slice(0, 14)];
}
const FORBIDDEN = [...forms(KEY), ...forms(WRONG_KEY)];

/** Every rendering of a value a user or a log could see. */
function renderings(u: unknown): string[] {
  const out = [String(u), inspect(u, { showHidden: true, depth: Infinity }), inspect(u, { depth: Infinity, colors: false })];
  try {
    out.push(JSON.stringify(u) ?? '');
  } catch {
    out.push('(not serialisable)');
  }
  if (u instanceof Error) {
    out.push(u.message, u.stack ?? '');
    let c: unknown = u.cause;
    for (let i = 0; i < 5 && c !== undefined; i++) {
      out.push(String(c), inspect(c, { showHidden: true, depth: Infinity }), c instanceof Error ? (c.stack ?? '') : '');
      c = (c as { cause?: unknown }).cause;
    }
  }
  return out;
}

function expectClean(label: string, texts: readonly string[]): void {
  for (const t of texts) for (const f of FORBIDDEN) expect(t.includes(f), `${label} contains a form of the key (${f.slice(0, 6)}...): ${t.slice(0, 300)}`).to.equal(false);
}

async function errorOf(o: Observable<unknown> | Promise<unknown>): Promise<unknown> {
  try {
    await (o instanceof Promise ? o : lastValueFrom(o));
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

describe('reliability: the API key never escapes (every error path, debug output, CLI)', function () {
  this.timeout(60_000);
  let emu: EmulatorHandle;
  before(async () => {
    emu = await startEmulator({ apiKeys: [KEY], queueMs: 10, stepMs: 10 });
  });
  after(() => emu?.close());

  it('the scan finds every form of the key (so the checks below can fail)', () => {
    for (const f of FORBIDDEN) expect(() => expectClean('probe', [`... ${f} ...`])).to.throw(/contains a form of the key/);
    expect(() => expectClean('probe', [inspect(new Error('x', { cause: new Error(`Basic ${forms(KEY)[1]}`) }))])).to.throw();
  });

  it('client and job streams: 401, 403, 404, 429, 5xx, network error, timeout, decode error, validation error, JobError, JobCancelledError', async () => {
    // A fetch that answers 403 for one marked route, echoing the authorization header like a
    // careless proxy would; every other request goes to the emulator over real HTTP.
    const echoing: FetchLike = async (url, init) => {
      if (url.includes('forbidden-dataset')) {
        const auth = init.headers['authorization'] ?? '';
        return { status: 403, headers: new Headers({ 'x-request-id': `req ${auth}` }), text: async () => `Forbidden for ${auth} (${KEY})` };
      }
      return (crossFetch as unknown as FetchLike)(url, init);
    };
    const options = { apiKey: KEY, endpoint: emu.url, fetch: echoing, retry: false as const, timeoutMs: 2_000 };
    const client = new NucleusClient(options);
    const ds = await firstValueFrom(client.createDataset({ name: 'secrets' }));
    const started = (await firstValueFrom(ds.append([{ reference_id: 'a', image_url: 's3://b/a.jpg' }], { asynchronous: true }))) as unknown as JobInfo;
    const produced: { label: string; value: unknown; guard: (u: unknown) => boolean }[] = [];
    const record = async (label: string, guard: (u: unknown) => boolean, o: Observable<unknown> | Promise<unknown>) => {
      produced.push({ label, value: await errorOf(o), guard });
    };
    const withFault = async (fault: FaultKind, run: () => Promise<void>) => {
      emu.control.setFaults({ schedule: [{ route: '*', calls: 'all', fault, delayMs: 10_000, retryAfterSeconds: 3 }] });
      try {
        await run();
      } finally {
        emu.control.setFaults(undefined);
      }
    };

    await record('401', isAuthenticationError, new NucleusClient({ ...options, apiKey: WRONG_KEY }).getStatus(started.jobId));
    await record('403', isPermissionDeniedError, client.dataset('forbidden-dataset').append([{ reference_id: 'x', image_url: 's3://b/x' }], { asynchronous: true }));
    await record('404', isNotFoundError, client.getStatus('job_does_not_exist'));
    await withFault('http429', () => record('429', isRateLimitError, client.getInfo(started.jobId)));
    for (const f of ['http500', 'http502', 'http503', 'http504'] as const) await withFault(f, () => record(f, isServerError, client.getErrors(started.jobId)));
    await withFault('reset', () => record('reset', isConnectionError, client.getStatus(started.jobId)));
    await record('refused', isConnectionError, new NucleusClient({ ...options, endpoint: 'http://127.0.0.1:1/v1/nucleus' }).getStatus('job_x'));
    await withFault('delay', () => record('timeout', isRequestTimeoutError, client.getStatus(started.jobId)));
    await withFault('nonJson', () => record('not JSON', isDecodeError, client.createDataset({ name: 'x' })));
    emu.control.forceJobState(started.jobId, { status: 'Running', jobProgress: `${KEY}-not-a-number` });
    await record('decode', isDecodeError, client.getStatus(started.jobId));
    await record('validation', isValidationError, ds.append([{ reference_id: 'v', image_url: '/local/file.jpg' }], { asynchronous: true }));

    // Job outcomes through AsyncJob, the stream operators and the promise API.
    emu.control.forceJobState(started.jobId, { status: 'Errored_Server', message: 'The server failed while processing.', jobProgress: '0.5' });
    const failed = new AsyncJob(started, client);
    await record('JobError', isJobError, failed.pipe(completeOrThrow()));
    await record('JobError (promise)', isJobError, new AsyncJob(started, client).sleepUntilComplete());
    const ann = (await firstValueFrom(ds.annotate([{ type: 'box', label: 'car', reference_id: 'missing', annotation_id: 'm1', geometry: { x: 1, y: 1, width: 1, height: 1 } }], { asynchronous: true }))) as unknown as JobInfo;
    await record('JobError with error records', isJobError, new AsyncJob(ann, client).pipe(completeOrThrow()));
    // A server echoing the key into the job's message and error lines: redacted before they reach snapshots and JobErrors.
    const echoed = (await firstValueFrom(ds.annotate([{ type: 'box', label: 'car', reference_id: 'missing', annotation_id: KEY, geometry: { x: 1, y: 1, width: 1, height: 1 } }], { asynchronous: true }))) as unknown as JobInfo;
    for (let i = 0; i < 100 && ['Queued', 'Running'].includes(emu.control.jobState(echoed.jobId)!.status); i++) await new Promise((r) => setTimeout(r, 10));
    emu.control.forceJobState(echoed.jobId, { status: 'Errored_User', message: { detail: `auth ${KEY} rejected`, token: forms(KEY)[1]! } });
    const echoedJob = new AsyncJob(echoed, client);
    await record('JobError echoing the key', isJobError, echoedJob.pipe(completeOrThrow()));
    produced.push({ label: 'live errors echoing the key', value: await lastValueFrom(echoedJob.errors$({ live: true }).pipe(toArray())), guard: (u) => Array.isArray(u) && u.length === 1 });
    emu.control.forceJobState(echoed.jobId, { status: 'Errored_User', message: `auth ${KEY} rejected` });
    await record('JobError echoing the key (text)', isJobError, new AsyncJob(echoed, client).sleepUntilComplete());
    const cancelled = (await firstValueFrom(ds.append([{ reference_id: 'c', image_url: 's3://b/c.jpg' }], { asynchronous: true }))) as unknown as JobInfo;
    emu.control.cancelJob(cancelled.jobId);
    await record('JobCancelledError', isJobCancelledError, new AsyncJob(cancelled, client).sleepUntilComplete());

    for (const p of produced) {
      expect(p.guard(p.value), `${p.label}: got ${String(p.value)}`).to.equal(true);
      expectClean(p.label, renderings(p.value));
    }
    // The objects holding the key print without it too.
    for (const [label, value] of [['client', client], ['dataset', ds], ['job', failed], ['snapshot', failed.latest]] as const) expectClean(label, renderings(value));
    expect(produced).to.have.length(21);
  });

  it('refuses a plain http:// endpoint other than loopback unless explicitly allowed, with a clear error that does not show the key', () => {
    for (const endpoint of ['http://api.example.test/v1/nucleus', 'http://10.0.0.8:8080/v1/nucleus', 'http://localhost.evil.test/v1/nucleus']) {
      let error: unknown;
      try {
        new NucleusClient({ apiKey: KEY, endpoint });
      } catch (e) {
        error = e;
      }
      expect(isConfigurationError(error), `${endpoint}: ${String(error)}`).to.equal(true);
      expect((error as Error).message).to.match(/http/i);
      expectClean(endpoint, renderings(error));
      expect(() => new NucleusClient({ apiKey: KEY, endpoint, allowInsecureHttp: true })).not.to.throw();
    }
    for (const endpoint of ['http://127.0.0.1:4010/v1/nucleus', 'http://localhost:4010/v1/nucleus', 'http://[::1]:4010/v1/nucleus', 'https://api.example.test/v1/nucleus']) {
      expect(() => new NucleusClient({ apiKey: KEY, endpoint }), endpoint).not.to.throw();
    }
  });

  it('the CLI, with debug output on: successful and failing commands print no form of the key', async () => {
    const ds = emu.control.jobStates()[0]!;
    const env = { NUCLEUS_API_KEY: KEY, NUCLEUS_ENDPOINT: emu.url, NUCLEUS_RX_DEBUG: '1', NO_COLOR: '1' };
    const runs = [
      await runCli(['jobs', '--completed'], { env }),
      await runCli(['jobs', '--completed', '--json'], { env }),
      await runCli(['errors', ds.jobId], { env }),
      await runCli(['watch', ds.jobId, '--json'], { env }),
      await runCli(['watch', 'job_unknown0000000000'], { env }),
      await runCli(['jobs'], { env: { ...env, NUCLEUS_API_KEY: WRONG_KEY } }),
      await runCli(['jobs', '--endpoint', 'http://127.0.0.1:1/v1/nucleus'], { env }),
      await runCli(['jobs', '--endpoint', `http://user:${KEY}@127.0.0.1:1/v1/nucleus`], { env }),
      await runCli(['jobs', '--endpoint', 'not a url'], { env }),
      await runCli(['watch', '--bogus-flag', KEY.slice(0, 3)], { env }),
    ];
    emu.control.setFaults({ schedule: [{ route: '*', calls: 'all', fault: 'http500' }] });
    try {
      runs.push(await runCli(['jobs'], { env }), await runCli(['errors', ds.jobId], { env }));
    } finally {
      emu.control.setFaults(undefined);
    }
    expect(runs[0]!.code, runs[0]!.stderr).to.equal(0);
    expect(runs.some((r) => r.code !== 0)).to.equal(true);
    runs.forEach((r, i) => expectClean(`CLI run ${i} (exit ${r.code})`, [r.stdout, r.stderr]));
  });
});
