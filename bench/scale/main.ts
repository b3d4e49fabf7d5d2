/**
 * `npm run bench:scale`: client cost of watching many jobs at once. The emulator runs in its own
 * process; each contender runs in a fresh process watching the same jobs at the same fixed interval
 * (so they send the same requests) and reports CPU per poll, retained memory per watched job and
 * event-loop delay. Flags: --jobs N (default 2000), --interval MS (10000), --window MS (30000);
 * --spread: every contender spreads its first polls evenly over one interval (default: all due at
 * once; `--spread both`: each contender both ways); --only a,b: just these contenders (names as in
 * the table; the library without its cap on requests in flight, e.g. `library (global fetch)
 * uncapped`, and `baseline (lean)`, which keeps no response while it waits, run only when named here); --cap N: the library contenders' `maxConcurrentRequests`
 * (default the client's); --profile DIR: each contender's process writes a V8 CPU profile (`--cpu-prof`) into DIR (the profiler costs CPU: figures of a
 * profiled run are not comparable).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { Measurement } from './measure.js';
import { createJobs, startEmulatorProcess } from './setup.js';
import { contenders as libraryContenders, uncapped } from './library.js';
import { numberArg } from './args.js';

const run = promisify(execFile);

function flag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}

function text(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..', '..');
  const jobs = numberArg('jobs', 2000);
  const interval = numberArg('interval', 10_000);
  const windowMs = numberArg('window', 30_000);
  const loadBefore = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  // `--spread both`: each contender twice, first polls at once then spread (same jobs, same emulator).
  const modes = text('spread') === 'both' ? [false, true] : [flag('spread')];
  const only = text('only')?.split(',');
  const profileDir = text('profile');
  // The watchers inherit the environment.
  const cap = text('cap');
  if (cap !== undefined) process.env['BENCH_CAP'] = cap;
  const all = ['floor', 'baseline', ...Object.keys(libraryContenders)];
  // The uncapped variants and the lean baseline run only when named.
  const named = [...all, 'baseline (lean)', ...Object.keys(uncapped)];
  const names = only === undefined ? all : named.filter((n) => only.includes(n));
  if (names.length === 0) throw new Error(`--only: none of ${named.join(', ')}`);
  // Jobs that outlive the run and move now and then: 20 lines, one per step, 30 s per step, longer
  // when many contender runs follow each other (about 75 s each at 10,000 jobs): a job that ends
  // mid-run stops being polled and would empty the later contenders' windows.
  const runs = modes.length * names.length + 1;
  const stepMs = Math.max(30_000, Math.ceil((runs * 120_000) / 20));
  const emu = await startEmulatorProcess(root, ['--queue-ms', '1000', '--lines-per-step', '1', '--step-ms', String(stepMs)]);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nucleus-rx-scale-'));
  try {
    const t0 = Date.now();
    const infos = await createJobs(emu.url, jobs, 20);
    const jobsFile = path.join(tmp, 'jobs.json');
    fs.writeFileSync(jobsFile, JSON.stringify(infos));
    console.error(`created ${jobs} jobs in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const results: (Measurement & { spread: boolean; load: number })[] = [];
    for (const spread of modes) {
      for (const contender of names) {
        const load = os.loadavg()[0]!;
        const name = `${contender.replace(/\W+/g, '-')}${spread ? '-spread' : ''}.cpuprofile`;
        const node = ['--expose-gc', ...(profileDir !== undefined ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(profileDir), '--cpu-prof-name', name] : [])];
        const watcherArgs = [contender, emu.url, jobsFile, String(interval), String(interval), String(windowMs), spread ? 'spread' : 'burst'];
        const { stdout } = await run(process.execPath, [...node, path.join(__dirname, 'watcher.js'), ...watcherArgs], {
          maxBuffer: 16 << 20,
        });
        results.push({ ...(JSON.parse(stdout) as Measurement), spread, load });
        console.error(`${contender}${spread ? ' (spread)' : ''} done`);
      }
    }
    // Sharing: one job with 100 subscribers, polled every second for 10 s.
    const { stdout: sharedOut } = await run(process.execPath, ['--expose-gc', path.join(__dirname, 'watcher.js'), 'shared-100', emu.url, jobsFile, '1000', '1000', '10000'], { maxBuffer: 1 << 20 });
    const shared = JSON.parse(sharedOut) as Measurement;
    // Ratios are against the baseline of the same start mode when it ran, else against the first contender.
    const baseOf = (r: (typeof results)[number]): Measurement => results.find((b) => b.contender === 'baseline' && b.spread === r.spread) ?? results[0]!;
    console.log(`${jobs} jobs watched at once, one poll each per ${interval / 1000} s, measured over ${windowMs / 1000} s (after one interval of warm-up); load average (1, 5, 15 min) before the run: ${loadBefore}.`);
    console.log('First polls: "burst", all due at once; "spread", evenly over one interval. Load: 1-min load average before the contender started.\n');
    console.log('| contender | first polls | load | polls in window | CPU per poll (us) | vs baseline | memory per job (bytes) | vs baseline | in flight at snapshot | sockets open | event-loop delay p99 (ms) | max (ms) |');
    console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of results) {
      const base = baseOf(r);
      console.log(
        `| ${r.contender} | ${r.spread ? 'spread' : 'burst'} | ${r.load.toFixed(1)} | ${r.requests} | ${r.cpuMicrosPerPoll.toFixed(0)} | ${(r.cpuMicrosPerPoll / base.cpuMicrosPerPoll).toFixed(2)}x | ${r.bytesPerJob.toFixed(0)} | ${(r.bytesPerJob / base.bytesPerJob).toFixed(2)}x | ${r.inFlightAtSnapshot} | ${r.socketsAtSnapshot} | ${r.loopDelayP99Ms.toFixed(1)} | ${r.loopDelayMaxMs.toFixed(1)} |`,
      );
    }
    console.log('\nSettled: every job still watched, no new poll, nothing in flight, idle sockets closed.\n');
    console.log('| contender | first polls | memory per job, settled (bytes) | vs baseline | in flight | sockets open |');
    console.log('|---|---|---:|---:|---:|---:|');
    for (const r of results) {
      const base = baseOf(r);
      console.log(`| ${r.contender} | ${r.spread ? 'spread' : 'burst'} | ${r.bytesPerJobSettled.toFixed(0)} | ${(r.bytesPerJobSettled / base.bytesPerJobSettled).toFixed(2)}x | ${r.inFlightSettled} | ${r.socketsSettled} |`);
    }
    console.log(`\nOne job with 100 subscribers, polled every 1 s: ${shared.requests} requests in 10 s (${(shared.requests / 10).toFixed(1)} per tick).`);
  } finally {
    await emu.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
