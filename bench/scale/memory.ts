/**
 * Retained memory of one watched job, without sockets: 10,000 watchers of a fake JobApi that answers
 * synchronously (or of a client whose fetch answers at once), each kind in a fresh process.
 * Separates the poll loop's own cost from the transport's. `node build/bench/scale/memory.js` (it re-runs itself with --expose-gc per kind).
 */
import { execFileSync } from 'node:child_process';
import { BehaviorSubject, defer, of, ReplaySubject, repeat, share, take, map, timer, distinctUntilChanged, takeWhile, type Subscription } from 'rxjs';
import { AsyncJob } from '../../lib/async-job.js';
import type { JobStatus } from '../../lib/codecs/job.js';
import type { JobApi } from '../../lib/job-api.js';
import { NucleusClient } from '../../lib/nucleus-client.js';

const N = 10_000;
const STATUS: JobStatus = { jobId: 'x', status: 'Running', message: undefined, progress: 0.5, completedSteps: 1, totalSteps: 2 };
const pause$ = new BehaviorSubject(false);
const BODY = JSON.stringify({ status: 'Running', message: '', job_progress: '0.25', completed_steps: 5, total_steps: 20 });
const answer = { status: 200, headers: { get: () => null }, text: () => Promise.resolve(BODY) };
const client = new NucleusClient({ apiKey: 'bench-key', endpoint: 'http://127.0.0.1:1/', fetch: () => Promise.resolve(answer), polling: { policy: () => 10_000 } });
// A long job whose every answer moves (a step and a message further): ten polls in a row fill the
// history a policy sees (the first snapshot and KEPT_SNAPSHOTS more), then a 10 s timer is pending.
let answered = 0;
const moving = new NucleusClient({
  apiKey: 'bench-key',
  endpoint: 'http://127.0.0.1:1/',
  fetch: () => {
    const n = answered++ % 1000;
    const body = JSON.stringify({ status: 'Running', message: `Processing: ${n} of 1000 lines done`, job_progress: String(n / 1000), completed_steps: n, total_steps: 1000 });
    return Promise.resolve({ status: 200, headers: { get: () => null }, text: () => Promise.resolve(body) });
  },
});
const api: JobApi = { getStatus: () => of(STATUS), getErrors: () => of([]), getInfo: () => of({ jobId: 'x', lastKnownStatus: 'Running', jobType: 't', createdAt: 'x' }) };

const kinds: Record<string, (i: number) => unknown> = {
  'setTimeout loop': () => {
    let t: ReturnType<typeof setTimeout>;
    const loop = (): void => {
      t = setTimeout(loop, 10_000);
    };
    loop();
    return () => clearTimeout(t);
  },
  'rxjs timer': () => timer(10_000, 10_000).subscribe(),
  'rxjs repeat chain': () =>
    defer(() => of(STATUS))
      .pipe(take(1), map((x) => x), repeat({ delay: () => timer(10_000) }), distinctUntilChanged(), takeWhile(() => true, true))
      .subscribe(),
  'rxjs repeat chain + share': () =>
    defer(() => of(STATUS))
      .pipe(take(1), map((x) => x), repeat({ delay: () => timer(10_000) }), distinctUntilChanged(), takeWhile(() => true, true), share({ connector: () => new ReplaySubject(1) }))
      .subscribe(),
  'AsyncJob, not subscribed': (i) => new AsyncJob({ jobId: `job_${i}`, lastKnownStatus: 'Queued', jobType: 't', createdAt: 'x' }, api, { policy: () => 10_000 }),
  'AsyncJob, subscribed': (i) => new AsyncJob({ jobId: `job_${i}`, lastKnownStatus: 'Queued', jobType: 't', createdAt: 'x' }, api, { policy: () => 10_000 }).subscribe(),
  // What bench:scale's settled figure holds, without sockets: the client's whole request path (a fetch
  // answering a status body at once), one snapshot per job, every job paused by one shared pause$.
  'AsyncJob through NucleusClient, paused': (i) => {
    const job = new AsyncJob({ jobId: `job_${i}`, lastKnownStatus: 'Running', jobType: 't', createdAt: 'x' }, client, { ...client.polling, pause$ });
    return job.subscribe({ next: () => pause$.next(true) });
  },
  'AsyncJob through NucleusClient, full history (9 snapshots, each with its message)': (i) =>
    new AsyncJob({ jobId: `job_${i}`, lastKnownStatus: 'Running', jobType: 't', createdAt: 'x' }, moving, { policy: (st) => (st.attempt < 10 ? 0 : 10_000) }).subscribe(),
};

function retained(): number {
  const gc = (globalThis as { gc?: () => void }).gc!;
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external + m.arrayBuffers;
}

const kind = process.argv[2];
if (kind === undefined) {
  console.log('| watcher (10,000, no HTTP) | retained bytes per job |\n|---|---:|');
  for (const k of Object.keys(kinds)) {
    const out = execFileSync(process.execPath, ['--expose-gc', __filename, k], { encoding: 'utf8' });
    console.log(`| ${k} | ${out.trim()} |`);
  }
} else {
  const before = retained();
  const keep: unknown[] = [];
  for (let i = 0; i < N; i++) keep.push(kinds[kind]!(i));
  // Ten rounds of 10,000 polls take a few seconds.
  setTimeout(() => {
    process.stdout.write(`${Math.round((retained() - before) / N)}\n`);
    for (const k of keep) (k as Subscription).unsubscribe?.();
    process.exit(0);
  }, kind.includes('full history') ? 8000 : 500);
}
