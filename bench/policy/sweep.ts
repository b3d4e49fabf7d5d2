/**
 * Parameter sweep of progressAware() (used to choose its defaults; not part of `npm run bench`):
 * `node build/bench/policy/sweep.js --jobs 500 --workloads coarse,opaque --grid '{"closing":[0.25,0.5]}'`.
 */
import { progressAware, type ProgressAwareOptions } from '../../lib/policies/progress-aware.js';
import { simulate } from './simulate.js';
import { mean, quantile } from './stats.js';
import { jobsOf, workloads } from './workloads.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const jobCount = Number(arg('jobs') ?? 500);
const names = (arg('workloads') ?? workloads.map((w) => w.name).join(',')).split(',');
const grid = JSON.parse(arg('grid') ?? '{}') as Record<string, number[]>;

function* combos(keys: string[], i = 0, acc: Record<string, number> = {}): Generator<Record<string, number>> {
  if (i === keys.length) {
    yield { ...acc };
    return;
  }
  for (const v of grid[keys[i]!]!) yield* combos(keys, i + 1, { ...acc, [keys[i]!]: v });
}

const seed = Number(arg('seed') ?? 7);
const sets = workloads.map((w, wi) => ({ w, jobs: jobsOf(w, wi, jobCount, seed) })).filter((x) => names.includes(x.w.name));
for (const opts of combos(Object.keys(grid))) {
  const cells = sets.map(({ w, jobs }) => {
    const rs = jobs.map((j) => simulate(j, progressAware(opts as ProgressAwareOptions)));
    const lat = rs.map((r) => r.latency);
    return `${w.name} ${mean(rs.map((r) => r.requests)).toFixed(1)} req p50 ${(quantile(lat, 0.5) / 1000).toFixed(1)} p95 ${(quantile(lat, 0.95) / 1000).toFixed(1)}`;
  });
  console.log(JSON.stringify(opts), '|', cells.join(' | '));
}
