/**
 * CPU per poll of the library's own code, without sockets: every stage of one status poll run
 * back to back against a fetch that answers at once (a resolved promise with a real emulator status
 * body), so what is left is the library's work (and the promises it awaits), not HTTP's.
 * Each stage runs in a fresh process for `--ms` (default 3000) of wall time, 200 chains at once,
 * `--repeat` times (default 3; the median is printed).
 * `node build/bench/scale/library-cpu.js [--ms 3000] [--repeat 3] [--only TEXT]` (--only: the stages whose
 * name contains TEXT).
 */
import { execFileSync } from 'node:child_process';
import { BehaviorSubject } from 'rxjs';
import { AsyncJob } from '../../lib/async-job.js';
import { JobStatus } from '../../lib/codecs/job.js';
import { fetchAnswer, type FetchLike, type FetchResponse } from '../../lib/http/fetch-answer.js';
import { NucleusClient } from '../../lib/nucleus-client.js';
import { toSnapshot } from '../../lib/job-snapshot.js';
import { quantile } from '../policy/stats.js';
import { numberArg } from './args.js';
import { TERMINAL } from './baseline.js';

const BODY = JSON.stringify({
  job_id: 'job_c3v1a1b2c3d4e5f6a7b8c9d0',
  status: 'Running',
  message: 'Processing 7 of 20 items',
  job_progress: '0.35',
  completed_steps: '7',
  total_steps: '20',
});
const HEADERS = { get: (): string | null => null };
const RESPONSE: FetchResponse = { status: 200, headers: HEADERS, text: () => Promise.resolve(BODY) };
const instantFetch: FetchLike = () => Promise.resolve(RESPONSE);
const ENDPOINT = 'http://127.0.0.1:1/v1/nucleus/';
const CHAINS = 200;

/** One stage: `once(done)` runs one poll's worth of it and calls `done` when finished. */
type Stage = () => (done: () => void) => void;

const stages: Record<string, Stage> = {
  // What every contender pays at least: the body through a promise, JSON.parse, a terminal check.
  'fetch promise + text() + JSON.parse + terminal check': () => (done) => {
    void instantFetch('x', { method: 'GET', headers: {}, signal: new AbortController().signal })
      .then((r) => r.text())
      .then((t) => {
        const b = JSON.parse(t) as { status: string };
        void TERMINAL.test(b.status);
        done();
      });
  },
  '+ io-ts decode (JobStatus) + toSnapshot': () => (done) => {
    void instantFetch('x', { method: 'GET', headers: {}, signal: new AbortController().signal })
      .then((r) => r.text())
      .then((t) => {
        const d = JobStatus.decode(JSON.parse(t));
        if (d._tag === 'Right') toSnapshot('job', d.right, Date.now());
        done();
      });
  },
  'fetchAnswer (own AbortController, no deadline)': () => (done) => {
    fetchAnswer({ fetch: instantFetch, url: `${ENDPOINT}job/j`, method: 'GET', headers: {}, route: 'job/j', deadlines: undefined, sanitizeCause: (e) => e }, () => done());
  },
  'NucleusClient.getStatus (transport, retries, deadline, decode, redaction)': () => {
    const client = new NucleusClient({ apiKey: 'bench-key', endpoint: ENDPOINT, fetch: instantFetch });
    return (done) => void client.getStatus('job_1').subscribe({ complete: done, error: done });
  },
};

/** Polls of `N` jobs that poll again on the next timer turn: AsyncJob (a 0 ms policy) or a plain loop. */
type Looping = (fetch: FetchLike, jobs: number) => void;

const loops: Record<string, Looping> = {
  'setTimeout(0) loop per job: fetch, text(), JSON.parse, check': (fetch, jobs) => {
    for (let k = 0; k < jobs; k++) {
      const poll = (): void =>
        void fetch('x', { method: 'GET', headers: {}, signal: new AbortController().signal })
          .then((r) => r.text())
          .then((t) => {
            const b = JSON.parse(t) as { status: string };
            if (!TERMINAL.test(b.status)) setTimeout(poll, 0);
          });
      poll();
    }
  },
  'AsyncJob per job (0 ms policy), subscribed': (fetch, jobs) => {
    const client = new NucleusClient({ apiKey: 'bench-key', endpoint: ENDPOINT, fetch, polling: { policy: () => 0 } });
    const pause$ = new BehaviorSubject(false);
    for (let k = 0; k < jobs; k++) {
      const info = { jobId: `job_${k}`, lastKnownStatus: 'Running', jobType: 'uploadDatasetItems', createdAt: '2026-11-29T00:00:00Z' };
      new AsyncJob(info, client, { ...client.polling, pause$ }).subscribe({ error: () => undefined });
    }
  },
};

/** Back-to-back stage: `total` polls in `CHAINS` chains (microtasks only, no timer), after a warm-up. */
function runStage(name: string, total: number): Promise<{ polls: number; cpuUs: number }> {
  const once = stages[name]!();
  const batch = (n: number): Promise<void> =>
    new Promise((resolve) => {
      let started = 0;
      let finished = 0;
      const chain = (): void => {
        if (started === n) {
          if (++finished === CHAINS) resolve();
          return;
        }
        started++;
        once(chain);
      };
      for (let i = 0; i < CHAINS; i++) chain();
    });
  return batch(total / 5).then(async () => {
    const cpu0 = process.cpuUsage();
    await batch(total);
    const cpu = process.cpuUsage(cpu0);
    return { polls: total, cpuUs: cpu.user + cpu.system };
  });
}

/** Timer-driven loops: polls and CPU over `ms` of wall time, after 500 ms of warm-up. */
function runLoop(name: string, ms: number): Promise<{ polls: number; cpuUs: number }> {
  let polls = 0;
  const counting: FetchLike = (u, i) => {
    polls++;
    return instantFetch(u, i);
  };
  loops[name]!(counting, CHAINS);
  return new Promise((resolve) => {
    setTimeout(() => {
      const polls0 = polls;
      const cpu0 = process.cpuUsage();
      setTimeout(() => {
        const cpu = process.cpuUsage(cpu0);
        resolve({ polls: polls - polls0, cpuUs: cpu.user + cpu.system });
      }, ms);
    }, 500);
  });
}

async function main(): Promise<void> {
  const child = process.argv.indexOf('--child');
  if (child >= 0) {
    const name = process.argv[child + 1]!;
    const r = name in stages ? await runStage(name, numberArg('polls', 200_000)) : await runLoop(name, numberArg('ms', 3000));
    process.stdout.write(JSON.stringify(r));
    process.exit(0);
  }
  const repeat = numberArg('repeat', 3);
  console.log('| stage (one status poll, no sockets) | polls | CPU per poll (us, median) | runs (us) |');
  console.log('|---|---:|---:|---|');
  const only = process.argv.indexOf('--only');
  const names = [...Object.keys(stages), ...Object.keys(loops)].filter((n) => only < 0 || n.includes(process.argv[only + 1]!));
  for (const name of names) {
    const runs: { polls: number; cpuUs: number }[] = [];
    for (let i = 0; i < repeat; i++) {
      const out = execFileSync(process.execPath, [__filename, '--child', name, '--ms', String(numberArg('ms', 3000)), '--polls', String(numberArg('polls', 200_000))], { encoding: 'utf8' });
      runs.push(JSON.parse(out) as { polls: number; cpuUs: number });
    }
    const per = runs.map((r) => r.cpuUs / r.polls);
    console.log(`| ${name} | ${runs[0]!.polls} | ${quantile(per, 0.5).toFixed(2)} | ${per.map((p) => p.toFixed(2)).join(', ')} |`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
