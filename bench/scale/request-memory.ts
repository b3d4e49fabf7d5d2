/**
 * Retained memory of one in-flight status request, in isolation: a loopback server (this process)
 * holds every request without answering; each kind of client runs in a fresh Node process
 * (`--expose-gc`), sends N requests with Node's global fetch, waits until the server holds all N,
 * then measures heap + external + array buffers after two forced GCs against before it started.
 * `node build/bench/scale/request-memory.js [--n 2000] [--repeat 3]` prints a table (median and
 * range of the repeats, bytes per request).
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setMaxListeners } from 'node:events';
import { asyncScheduler, type Subscription } from 'rxjs';
import { AsyncJob } from '../../lib/async-job.js';
import { JobStatus } from '../../lib/codecs/job.js';
import { Credentials } from '../../lib/http/credentials.js';
import { parseEndpoint } from '../../lib/http/endpoint.js';
import { Deadlines } from '../../lib/http/deadlines.js';
import { type FetchLike, fetchAnswer } from '../../lib/http/fetch-answer.js';
import { DEFAULT_RETRY_OPTIONS } from '../../lib/http/retry-policy.js';
import { Transport, route } from '../../lib/http/transport.js';
import { NucleusClient } from '../../lib/nucleus-client.js';
import { quantile } from '../policy/stats.js';
import { retained } from './measure.js';
import { numberArg } from './args.js';

const KEY = 'request-memory-key';
const AUTH = `Basic ${Buffer.from(`${KEY}:`).toString('base64')}`;
const TIMEOUT_MS = 30_000;
const globalFetch = globalThis.fetch as unknown as FetchLike;

/** Each kind starts request number `i` to `base` and returns what must be kept to hold it. */
type Kind = (base: string, i: number) => unknown;

const sharedController = new AbortController();
setMaxListeners(0, sharedController.signal);

function transportFor(base: string): Transport {
  return new Transport({
    credentials: Credentials.of({ apiKey: KEY }),
    endpoint: parseEndpoint(base, true),
    fetch: globalFetch,
    headers: {},
    retry: DEFAULT_RETRY_OPTIONS,
    timeoutMs: TIMEOUT_MS,
    maxConcurrentRequests: Infinity,
    scheduler: asyncScheduler,
    allowInsecureHttp: true,
  });
}
let transport: Transport | undefined;
let deadlines: Deadlines | undefined;
let client: NucleusClient | undefined;

const read = (p: Promise<Response>): Promise<string> => p.then((r) => r.text());

const kinds: Record<string, Kind> = {
  'fetch (no signal)': (base, i) => read(fetch(`${base}job/job_${i}`, { headers: { authorization: AUTH } })),
  'fetch + one shared signal (the baseline)': (base, i) => read(fetch(`${base}job/job_${i}`, { headers: { authorization: AUTH }, signal: sharedController.signal })),
  'fetch + own AbortController': (base, i) => {
    const c = new AbortController();
    return [c, read(fetch(`${base}job/job_${i}`, { headers: { authorization: AUTH }, signal: c.signal }))];
  },
  'fetch + own AbortController + setTimeout': (base, i) => {
    const c = new AbortController();
    const t = setTimeout(() => c.abort(), TIMEOUT_MS);
    return [c, t, read(fetch(`${base}job/job_${i}`, { headers: { authorization: AUTH }, signal: c.signal }))];
  },
  'fetch + AbortSignal.timeout': (base, i) => read(fetch(`${base}job/job_${i}`, { headers: { authorization: AUTH }, signal: AbortSignal.timeout(TIMEOUT_MS) })),
  'fetchAnswer (own controller + shared deadline list)': (base, i) => {
    deadlines ??= new Deadlines(asyncScheduler, TIMEOUT_MS);
    return fetchAnswer(
      { fetch: globalFetch, url: `${base}job/job_${i}`, method: 'GET', headers: { accept: 'application/json', authorization: AUTH }, route: 'job', deadlines, sanitizeCause: (e: unknown) => e },
      () => undefined,
    );
  },
  'Transport.request$ (+ retry, decode)': (base, i) => {
    transport ??= transportFor(base);
    return transport.request$({ method: 'GET', route: route('job', `job_${i}`), codec: JobStatus, retry: 'idempotent' }).subscribe();
  },
  'NucleusClient.getStatus': (base, i) => {
    client ??= new NucleusClient({ apiKey: KEY, endpoint: base, allowInsecureHttp: true, fetch: globalFetch });
    return client.getStatus(`job_${i}`).subscribe();
  },
  'AsyncJob, subscribed (poll in flight; job included)': (base, i) => {
    client ??= new NucleusClient({ apiKey: KEY, endpoint: base, allowInsecureHttp: true, fetch: globalFetch, polling: { policy: () => 10_000 } });
    return new AsyncJob({ jobId: `job_${i}`, lastKnownStatus: 'Queued', jobType: 't', createdAt: 'x' }, client, client.polling).subscribe();
  },
};

/** Child: `request-memory.js --child <kind> <base> <n>`; talks to the parent over IPC. */
async function child(kind: string, base: string, n: number): Promise<void> {
  const start = kinds[kind]!;
  // Warm-up: one request of the same kind (and its answer), so code, pools and caches are not counted.
  await new Promise<void>((done) => {
    const keep = start(base, -1);
    process.once('message', () => done());
    process.send!({ warm: true });
    void keep;
  });
  const before = await retained();
  const keep: unknown[] = [];
  for (let i = 0; i < n; i++) keep.push(start(base, i));
  await new Promise<void>((done) => {
    process.once('message', () => done());
    process.send!({ sent: n });
  });
  const bytes = ((await retained()) - before) / n;
  process.send!({ bytes });
  for (const k of keep) (k as Subscription).unsubscribe?.();
}

async function parent(): Promise<void> {
  const n = numberArg('n', 2000);
  const repeat = numberArg('repeat', 3);
  const held: http.ServerResponse[] = [];
  let waiting: (() => void) | undefined;
  let want = Infinity;
  const server = http.createServer((req, res) => {
    if (req.url?.endsWith('job_-1')) {
      // The warm-up request is answered, like a real poll.
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ job_id: 'job_-1', status: 'Running', job_progress: '0.5' }));
      return;
    }
    held.push(res);
    if (held.length >= want) waiting?.();
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const runOnce = (kind: string): Promise<number> =>
    new Promise((resolve, reject) => {
      const c: ChildProcess = fork(__filename, ['--child', kind, base, String(n)], { execArgv: ['--expose-gc'] });
      c.on('error', reject);
      c.on('message', (m: { warm?: boolean; sent?: number; bytes?: number }) => {
        if (m.warm) {
          // Let the warm-up answer arrive first.
          setTimeout(() => c.send('go'), 200);
        } else if (m.sent !== undefined) {
          want = m.sent;
          waiting = () => {
            waiting = undefined;
            want = Infinity;
            // Give the client a moment to process what it sent before it measures.
            setTimeout(() => c.send('go'), 300);
          };
          if (held.length >= want) waiting();
        } else if (m.bytes !== undefined) {
          resolve(m.bytes);
          c.kill();
          for (const res of held.splice(0)) res.destroy();
        }
      });
    });
  console.log(`| in-flight status request (${n} at once, global fetch, Node ${process.version}) | bytes per request (median) | range of ${repeat} runs |`);
  console.log('|---|---:|---:|');
  for (const kind of Object.keys(kinds)) {
    const runs: number[] = [];
    for (let r = 0; r < repeat; r++) runs.push(await runOnce(kind));
    console.log(`| ${kind} | ${Math.round(quantile(runs, 0.5))} | ${Math.round(Math.min(...runs))} to ${Math.round(Math.max(...runs))} |`);
  }
  server.closeAllConnections();
  server.close();
}

if (process.argv[2] === '--child') {
  child(process.argv[3]!, process.argv[4]!, Number(process.argv[5])).catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else {
  parent().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
