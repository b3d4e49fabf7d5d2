/**
 * Retained memory of one watched job, without HTTP: 10,000 watchers of a fake JobApi that answers
 * synchronously, each kind in a fresh process. Separates the poll loop's own cost from the
 * transport's. `node build/bench/scale/memory.js` (it re-runs itself with --expose-gc per kind).
 */
import { execFileSync } from 'node:child_process';
import { defer, of, ReplaySubject, repeat, share, take, map, timer, distinctUntilChanged, takeWhile, type Subscription } from 'rxjs';
import { AsyncJob } from '../../lib/async-job.js';
import type { JobStatus } from '../../lib/codecs/job.js';
import type { JobApi } from '../../lib/job-api.js';

const N = 10_000;
const STATUS: JobStatus = { jobId: 'x', status: 'Running', message: undefined, progress: 0.5, completedSteps: 1, totalSteps: 2 };
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
  setTimeout(() => {
    process.stdout.write(`${Math.round((retained() - before) / N)}\n`);
    for (const k of keep) (k as Subscription).unsubscribe?.();
    process.exit(0);
  }, 500);
}
