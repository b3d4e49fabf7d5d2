/**
 * One contender of the scale benchmark, in its own process (run by main.ts with --expose-gc):
 * `node --expose-gc build/bench/scale/watcher.js <contender> <base-url> <jobs.json> <intervalMs> <warmupMs> <windowMs> [spread]`
 * (`spread`: the first polls spread over one interval, see stagger.ts).
 * Prints one JSON Measurement on stdout.
 */
import * as fs from 'node:fs';
import { baselineWatch } from './baseline.js';
import { floorWatch } from './floor.js';
import { measure, type Watching } from './measure.js';
import { BENCH_KEY } from './setup.js';
import { contenders as libraryContenders, shared100, uncapped } from './library.js';

async function main(): Promise<void> {
  const [contender, base, jobsFile, interval, warmup, windowMs, spreadArg] = process.argv.slice(2);
  const spread = spreadArg === 'spread';
  const infos = JSON.parse(fs.readFileSync(jobsFile!, 'utf8')) as { job_id: string }[];
  const intervalMs = Number(interval);
  const authorization = `Basic ${Buffer.from(`${BENCH_KEY}:`).toString('base64')}`;
  const starts: Record<string, () => Watching> = {
    floor: () => floorWatch(base!, authorization, infos.map((i) => i.job_id), intervalMs, spread),
    baseline: () => baselineWatch(base!, authorization, infos.map((i) => i.job_id), intervalMs, spread),
    'baseline (lean)': () => baselineWatch(base!, authorization, infos.map((i) => i.job_id), intervalMs, spread, true),
    ...Object.fromEntries(Object.entries({ ...libraryContenders, ...uncapped }).map(([name, make]) => [name, () => make(base!, BENCH_KEY, infos, intervalMs, spread)])),
    'shared-100': () => shared100(base!, BENCH_KEY, infos, intervalMs, false),
  };
  const start = starts[contender!];
  if (start === undefined) throw new Error(`unknown contender ${contender}`);
  const result = await measure(contender!, contender === 'shared-100' ? 1 : infos.length, start, Number(warmup), Number(windowMs));
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

main().catch((e) => {
  process.stderr.write(`watcher: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
