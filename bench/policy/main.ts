/**
 * `npm run bench`: every contender polls the same seeded jobs of every workload in virtual time.
 * Prints markdown tables; `--write` also updates docs/performance.md (between markers) and the plot
 * docs/polling-benchmark.svg; `--analysis` adds the coarse trade-off curve and lower bound.
 * Flags: --jobs N (default 2000 per workload), --seed S, --write, --analysis.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { awsWaiter, coreLro, googleGax, pythonClient, type Contender } from './peers.js';
import { libraryDefault } from './library-default.js';
import { mulberry32, seedOf } from './rng.js';
import { simulate } from './simulate.js';
import { mean, quantile } from './stats.js';
import { jobsOf, workloads, type SimJob } from './workloads.js';
import type { PollState } from '../../lib/polling-policy.js';
import { renderSvg } from './svg.js';
import { progressAware, type ProgressAwareOptions } from '../../lib/policies/progress-aware.js';
import { coarseLowerBound } from './bound.js';
import { robustness } from './robustness.js';

export interface Row {
  readonly contender: string;
  readonly ours: boolean;
  readonly reqMean: number;
  readonly reqP95: number;
  readonly latP50: number;
  readonly latP95: number;
}

export interface WorkloadResult {
  readonly workload: string;
  readonly description: string;
  readonly rows: readonly Row[];
}

/** Targets of issue 7 (requests per job mean, p95 latency in ms). */
const TARGETS: Record<string, { req: number; latP95: number }> = {
  fine: { req: 12, latP95: 2_000 },
  coarse: { req: 20, latP95: 10_000 },
  opaque: { req: 25, latP95: 30_000 },
};

const contenders: readonly Contender[] = [
  pythonClient,
  coreLro,
  awsWaiter,
  googleGax,
  { name: 'library-backoff', description: 'nucleus-rx exponentialBackoff() defaults: 250 ms x 2^n, +-20 % jitter, cap 5 s', make: () => libraryDefault() },
  { name: 'progress-aware', description: 'nucleus-rx progressAware() with its defaults', make: () => progressAware(), ours: true },
];

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export function run(jobCount: number, seed: number): WorkloadResult[] {
  return workloads.map((w, wi) => {
    const jobs = jobsOf(w, wi, jobCount, seed);
    const rows = contenders.map((c, ci): Row => {
      const requests: number[] = [];
      const latencies: number[] = [];
      jobs.forEach((job, ji) => {
        const r = simulate(job, c.make(mulberry32(seedOf(seed, wi, ji, 1000 + ci))), c.afterTerminalMs);
        requests.push(r.requests);
        latencies.push(r.latency);
      });
      return {
        contender: c.name,
        ours: c.ours === true,
        reqMean: mean(requests),
        reqP95: quantile(requests, 0.95),
        latP50: quantile(latencies, 0.5),
        latP95: quantile(latencies, 0.95),
      };
    });
    return { workload: w.name, description: w.description, rows };
  });
}

const s = (ms: number): string => (ms / 1000).toFixed(ms < 10_000 ? 2 : 1);

/** Peers better than ours on both axes (mean requests and p95 latency) at once. */
export function dominators(r: WorkloadResult): string[] {
  const ours = r.rows.find((x) => x.ours)!;
  return r.rows.filter((x) => !x.ours && x.reqMean < ours.reqMean && x.latP95 < ours.latP95).map((x) => x.contender);
}

export function markdown(results: readonly WorkloadResult[], jobCount: number, seed: number): string {
  const out: string[] = [];
  out.push(`Virtual time, ${jobCount} jobs per workload, seed ${seed}; durations log-uniform 5 s .. 1 h.`, '');
  out.push('| workload | contender | req/job mean | req/job p95 | latency p50 (s) | latency p95 (s) |');
  out.push('|---|---|---:|---:|---:|---:|');
  for (const r of results) {
    for (const x of r.rows) {
      const b = x.ours ? '**' : '';
      out.push(`| ${r.workload} | ${b}${x.contender}${b} | ${b}${x.reqMean.toFixed(1)}${b} | ${x.reqP95} | ${s(x.latP50)} | ${b}${s(x.latP95)}${b} |`);
    }
  }
  out.push('', '| workload | target (req mean, latency p95) | progress-aware | met | peers better on both axes |', '|---|---|---|---|---|');
  for (const r of results) {
    const ours = r.rows.find((x) => x.ours)!;
    const t = TARGETS[r.workload];
    const met = t === undefined ? '-' : ours.reqMean <= t.req && ours.latP95 <= t.latP95 ? 'yes' : 'NO';
    const target = t === undefined ? '-' : `<= ${t.req}, <= ${s(t.latP95)} s`;
    const dom = dominators(r);
    out.push(`| ${r.workload} | ${target} | ${ours.reqMean.toFixed(1)}, ${s(ours.latP95)} s | ${met} | ${dom.length === 0 ? 'none' : dom.join(', ')} |`);
  }
  return out.join('\n');
}

/**
 * `--analysis`: where the coarse target sits. Our policy's trade-off curve on the coarse workload
 * (varying the options of the few-steps schedule, or turning it off), where the requests and the
 * late jobs go, the targets' workloads on other seeds, a flat 30 s schedule on opaque jobs, and the
 * oracle lower bound of bound.ts.
 */
export function analysis(jobCount: number, seed: number): string {
  const out: string[] = [];
  const wi = workloads.findIndex((w) => w.name === 'coarse');
  const coarse = jobsOf(workloads[wi]!, wi, jobCount, seed);
  out.push('| progressAware options on coarse | req/job mean | latency p50 (s) | latency p95 (s) | late > 10 s |', '|---|---:|---:|---:|---:|');
  const variants: ProgressAwareOptions[] = [
    {},
    { fewSteps: 0 },
    { stuckGrowth: 2 },
    { stuckGrowth: 1.25 },
    { hitChance: 0.005 },
    { hitChance: 0.02 },
    { bracket: 0.2 },
    { bracket: 0.4 },
    { paceMaxMs: 5_000 },
    { paceMaxMs: 20_000 },
  ];
  for (const v of variants) {
    const rs = coarse.map((j) => simulate(j, progressAware(v)));
    const lat = rs.map((r) => r.latency);
    out.push(`| ${JSON.stringify(v) === '{}' ? 'defaults' : JSON.stringify(v)} | ${mean(rs.map((r) => r.requests)).toFixed(1)} | ${s(quantile(lat, 0.5))} | ${s(quantile(lat, 0.95))} | ${pct(lat.filter((l) => l > LATE).length / lat.length)} |`);
  }
  out.push('', ...phases(coarse), '', ...lengths(coarse), '', ...tails(coarse), '', ...robustness(jobCount, seed));
  out.push('', ...seeds(jobCount, seed), '', ...manySeeds(jobCount, seed));
  const oi = workloads.findIndex((w) => w.name === 'opaque');
  const opaque = jobsOf(workloads[oi]!, oi, jobCount, seed);
  const flat = opaque.map((j) => simulate(j, () => 30_000));
  const ours = opaque.map((j) => simulate(j, progressAware()));
  const line = (name: string, rs: { requests: number; latency: number }[]): string =>
    `| ${name} | ${mean(rs.map((r) => r.requests)).toFixed(1)} | ${s(quantile(rs.map((r) => r.latency), 0.5))} | ${s(quantile(rs.map((r) => r.latency), 0.95))} | ${s(Math.max(...rs.filter((_, i) => opaque[i]!.end < 10_000).map((r) => r.latency)))} |`;
  out.push('', '| opaque jobs | req/job mean | latency p50 (s) | latency p95 (s) | worst latency, jobs under 10 s (s) |', '|---|---:|---:|---:|---:|');
  out.push(line('every 30 s flat (fewest polls keeping every latency <= 30 s)', flat), line('progressAware defaults', ours));
  out.push('', '| coarse, step spread (sigma) | oracle lower bound, req/job at p95 <= 10 s |', '|---|---:|');
  for (const sigma of [0.1, 0.3]) out.push(`| ${sigma} | ${coarseLowerBound(sigma, Math.min(jobCount, 1000), seed).toFixed(1)} |`);
  return out.join('\n');
}

const LATE = 10_000;
const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;

/**
 * Where the default policy spends its requests and its misses on coarse jobs, by the number of steps
 * done when a poll was sent (a policy wrapper counts the polls; the detecting poll is apart). A late
 * job is charged to the phase of its last poll before the end: with 0 or 1 step done, the delay
 * jumped over the remaining steps and the end at once.
 */
function phases(jobs: readonly SimJob[]): string[] {
  const names = ['no step done yet', '1 step done', '2 steps done (last step running)'];
  const polls = [0, 0, 0];
  const late = [0, 0, 0];
  for (const job of jobs) {
    const policy = progressAware();
    let k = 0;
    const r = simulate(job, (st: PollState) => {
      k = Math.min(2, st.snapshots[st.snapshots.length - 1]?.completedSteps ?? 0);
      polls[k]!++;
      return policy(st);
    });
    if (r.latency > LATE) late[k]!++;
  }
  const out = ['| coarse, defaults: phase when polled | req/job | jobs detected > 10 s late, last poll in this phase |', '|---|---:|---:|'];
  names.forEach((n, i) => out.push(`| ${n} | ${(polls[i]! / jobs.length).toFixed(2)} | ${pct(late[i]! / jobs.length)} |`));
  out.push(`| the detecting poll | 1.00 | - |`);
  return out;
}

/** How late the late jobs are: the tail of the latency, on all coarse jobs and on the longest. */
function tails(jobs: readonly SimJob[]): string[] {
  const out = [
    '| coarse: the tail | req/job | latency p95 (s) | p99 (s) | worst (s) | jobs over 1,000 s: req/job | p95 (s) | p99 (s) | worst (s) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const cells = (sel: readonly SimJob[], opts: ProgressAwareOptions): string => {
    const rs = sel.map((j) => simulate(j, progressAware(opts)));
    const lat = rs.map((r) => r.latency);
    return `${mean(rs.map((r) => r.requests)).toFixed(1)} | ${s(quantile(lat, 0.95))} | ${s(quantile(lat, 0.99))} | ${s(Math.max(...lat))}`;
  };
  const long = jobs.filter((j) => j.end >= 1_000_000);
  const variants = [['defaults', {}], ['{"fewSteps":0} (the previous default)', { fewSteps: 0 }]] as const;
  for (const [name, opts] of variants) out.push(`| ${name} | ${cells(jobs, opts)} | ${cells(long, opts)} |`);
  // The rare worst cases, on 30 more seeds of coarse jobs.
  const wi = workloads.findIndex((w) => w.name === 'coarse');
  const more = Array.from({ length: 30 }, (_, i) => jobsOf(workloads[wi]!, wi, jobs.length, 31 + i)).flat();
  out.push('', `| coarse, seeds 31 .. 60 (${more.length} jobs) | seen > 60 s late | > 120 s late | worst (s) |`, '|---|---:|---:|---:|');
  for (const [name, opts] of variants) {
    const lat = more.map((j) => simulate(j, progressAware(opts)).latency);
    out.push(`| ${name} | ${lat.filter((l) => l > 60_000).length} | ${lat.filter((l) => l > 120_000).length} | ${s(Math.max(...lat))} |`);
  }
  return out;
}

/** The same jobs by length: where the requests go, and which jobs are late. */
function lengths(jobs: readonly SimJob[]): string[] {
  const out = ['| coarse, defaults: job length | share of jobs | req/job | late > 10 s |', '|---|---:|---:|---:|'];
  const edges = [5, 30, 100, 300, 1000, 3600];
  for (let i = 0; i + 1 < edges.length; i++) {
    const sel = jobs.filter((j) => j.end >= edges[i]! * 1000 && j.end < edges[i + 1]! * 1000);
    const rs = sel.map((j) => simulate(j, progressAware()));
    out.push(`| ${edges[i]} .. ${edges[i + 1]} s | ${pct(sel.length / jobs.length)} | ${mean(rs.map((r) => r.requests)).toFixed(1)} | ${pct(rs.filter((r) => r.latency > LATE).length / rs.length)} |`);
  }
  return out;
}

/** The targets' workloads on other seeds: how far from the edge the defaults (and a leaner variant) are. */
function seeds(jobCount: number, seed: number): string[] {
  const list = [...new Set([seed, 11, 12, 13, 14, 15])];
  const rows: [string, ProgressAwareOptions][] = [
    ['fine', {}],
    ['coarse', {}],
    ['coarse', { fewSteps: 0 }],
    ['opaque', {}],
  ];
  const out = [`| req/job mean; latency p95 (s); late > 10 s (30 s for opaque), per seed | ${list.join(' | ')} |`, `|---|${list.map(() => '---:').join('|')}|`];
  for (const [name, opts] of rows) {
    const wi = workloads.findIndex((w) => w.name === name);
    const late = name === 'opaque' ? 30_000 : LATE;
    const cells = list.map((sd) => {
      const rs = jobsOf(workloads[wi]!, wi, jobCount, sd).map((j) => simulate(j, progressAware(opts)));
      return `${mean(rs.map((r) => r.requests)).toFixed(1)}; ${s(quantile(rs.map((r) => r.latency), 0.95))}; ${pct(rs.filter((r) => r.latency > late).length / rs.length)}`;
    });
    out.push(`| ${name}${JSON.stringify(opts) === '{}' ? ', defaults' : `, ${JSON.stringify(opts)}`} | ${cells.join(' | ')} |`);
  }
  return out;
}

/**
 * The targets' workloads on many seeds, the worst seed being the margin: the 21 seeds the defaults
 * were chosen on, and for coarse also 100 held out (31 .. 130) that played no part in choosing them.
 */
function manySeeds(jobCount: number, seed: number): string[] {
  const chosen = [...new Set([seed, ...Array.from({ length: 20 }, (_, i) => 11 + i)])];
  const heldOut = Array.from({ length: 100 }, (_, i) => 31 + i);
  const out = [
    '| seeds: min .. mean .. max | req/job mean | latency p95 (s) | late (> 10 s; > 30 s for opaque) | seeds missing the target |',
    '|---|---:|---:|---:|---:|',
  ];
  const range = (xs: number[], f: (x: number) => string): string => `${f(Math.min(...xs))} .. ${f(mean(xs))} .. ${f(Math.max(...xs))}`;
  const rows: [string, number[], string][] = [
    ['fine', chosen, `${chosen.length} seeds (${chosen[0]}, ${chosen[1]} .. ${chosen[chosen.length - 1]})`],
    ['coarse', chosen, `${chosen.length} seeds (${chosen[0]}, ${chosen[1]} .. ${chosen[chosen.length - 1]})`],
    ['coarse', heldOut, `${heldOut.length} held-out seeds (${heldOut[0]} .. ${heldOut[heldOut.length - 1]})`],
    ['opaque', chosen, `${chosen.length} seeds (${chosen[0]}, ${chosen[1]} .. ${chosen[chosen.length - 1]})`],
  ];
  for (const [name, list, label] of rows) {
    const wi = workloads.findIndex((w) => w.name === name);
    const t = TARGETS[name]!;
    const late = name === 'opaque' ? 30_000 : LATE;
    const req: number[] = [];
    const p95: number[] = [];
    const share: number[] = [];
    for (const sd of list) {
      const rs = jobsOf(workloads[wi]!, wi, jobCount, sd).map((j) => simulate(j, progressAware()));
      req.push(mean(rs.map((r) => r.requests)));
      p95.push(quantile(rs.map((r) => r.latency), 0.95));
      share.push(rs.filter((r) => r.latency > late).length / rs.length);
    }
    const missed = list.filter((_, i) => req[i]! > t.req || p95[i]! > t.latP95).length;
    out.push(`| ${name}, defaults, ${label} | ${range(req, (x) => x.toFixed(1))} | ${range(p95, s)} | ${range(share, pct)} | ${missed} of ${list.length} |`);
  }
  return out;
}

function replaceBetween(text: string, name: string, body: string): string {
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`docs/performance.md lacks the ${name} markers`);
  return `${text.slice(0, a + begin.length)}\n${body}\n${text.slice(b)}`;
}

function main(): void {
  const jobCount = Number(arg('jobs') ?? 2000);
  const seed = Number(arg('seed') ?? 7);
  const t0 = Date.now();
  const results = run(jobCount, seed);
  const md = markdown(results, jobCount, seed);
  console.log(md);
  console.log(`\n(${((Date.now() - t0) / 1000).toFixed(1)} s of wall time)`);
  const extra = process.argv.includes('--analysis') ? analysis(jobCount, seed) : undefined;
  if (extra !== undefined) console.log(`\n${extra}`);
  if (process.argv.includes('--write')) {
    const root = path.resolve(__dirname, '..', '..', '..');
    fs.writeFileSync(path.join(root, 'docs', 'polling-benchmark.svg'), renderSvg(results, TARGETS));
    const doc = path.join(root, 'docs', 'performance.md');
    let text = replaceBetween(fs.readFileSync(doc, 'utf8'), 'bench', md);
    if (extra !== undefined) text = replaceBetween(text, 'analysis', extra);
    fs.writeFileSync(doc, text);
    console.log('wrote docs/performance.md and docs/polling-benchmark.svg');
  }
  if (results.some((r) => dominators(r).length > 0)) process.exitCode = 1;
}

if (require.main === module) main();
