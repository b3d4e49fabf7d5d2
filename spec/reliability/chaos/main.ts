/**
 * `npm run chaos` (>= 1,000 jobs) and `npm run chaos:ci` (a smaller run for CI): runs the chaos
 * suite, prints its table, exits 1 on any violation.
 *
 * Options: `--jobs N`, `--concurrency N`, `--seed N`, `--fault-rate R`, `--json` (the report as JSON).
 */
import { formatReport, runChaos } from './chaos.js';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i === -1) return dflt;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v)) throw new RangeError(`--${name} needs a number`);
  return v;
}

async function main(): Promise<void> {
  const report = await runChaos({
    jobs: arg('jobs', 1000),
    concurrency: arg('concurrency', 48),
    seed: arg('seed', 1),
    faultRate: arg('fault-rate', 0.25),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${process.argv.includes('--json') ? JSON.stringify(report, null, 2) : formatReport(report)}\n`);
  const faultsOk = report.faultRate >= 0.2 || process.argv.includes('--fault-rate');
  if (!faultsOk) process.stderr.write(`fault rate ${report.faultRate} is below 20 %\n`);
  process.exitCode = report.violations.length === 0 && faultsOk ? 0 : 1;
}

main().catch((e: unknown) => {
  process.stderr.write(`chaos: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 2;
});
