#!/usr/bin/env node
// Browser bundle budget: bundles the root entry (lib/index.ts) for browsers with esbuild, minified,
// and measures it gzipped: once with rxjs, io-ts, fp-ts and cross-fetch external (what the library
// itself adds to an app) and once with everything included. Exits 1 when the root entry is over
// the budget, so CI fails when the bundle grows past it.
//   node scripts/size.js [--budget-kb 10] [--json] [--write: also update the table in docs/performance.md]
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const budgetArg = args.indexOf('--budget-kb');
const budgetKb = budgetArg >= 0 ? Number(args[budgetArg + 1]) : 10;
const EXTERNAL = ['rxjs', 'rxjs/*', 'io-ts', 'io-ts/*', 'fp-ts', 'fp-ts/*', 'cross-fetch'];

// What a typical app imports: the client, the job operators and the progress stream; tree shaking
// drops the rest of the root entry.
const TYPICAL_APP = "export { NucleusClient, completeOrThrow, concatJobs, progress } from './lib/index.ts';";

// The job layer without the HTTP client: what an app that brings its own JobApi (its own backend,
// a proxy, a test double) bundles. Everything the root entry exports except the client, the
// transport's constants, the codecs and datasets. Measured to show where the root entry's size is.
const JOB_LAYER = [
  "export { AsyncJob, isAsyncJob, completeOrThrow, concatJobs, concatJobsWith, progress, progressOf, eta, estimateEta,",
  '  whenTerminal, takeUntilTerminal, progressAware, progressAwarePolicy, exponentialBackoff, exponentialBackoffPolicy,',
  "  defaultPollingPolicy, defaultErrorsPolicy, pauseWhenHidden, jobOf, phaseOf, isTerminal, toSnapshot, sameSnapshot } from './lib/index.ts';",
  "export * from './lib/errors.ts';",
].join('\n');

async function measure(external, contents) {
  const entry = contents === undefined ? { entryPoints: [path.join(root, 'lib/index.ts')] } : { stdin: { contents, resolveDir: root, loader: 'ts', sourcefile: 'app-imports.ts' } };
  const result = await esbuild.build({
    ...entry,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    external,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  const gzip = zlib.gzipSync(code, { level: 9 }).length;
  const inputs = Object.entries(result.metafile.outputs[Object.keys(result.metafile.outputs)[0]].inputs)
    .map(([file, v]) => ({ file, bytes: v.bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes);
  return { minified: code.length, gzip, inputs };
}

const kb = (n) => (n / 1024).toFixed(2);

function writeTable(table) {
  const doc = path.join(root, 'docs', 'performance.md');
  const text = fs.readFileSync(doc, 'utf8');
  const begin = '<!-- size:begin -->';
  const end = '<!-- size:end -->';
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error('docs/performance.md lacks the size markers');
  fs.writeFileSync(doc, `${text.slice(0, a + begin.length)}\n${table}\n${text.slice(b)}`);
}

async function main() {
  const own = await measure(EXTERNAL);
  const all = await measure([]);
  const typical = await measure(EXTERNAL, TYPICAL_APP);
  const jobLayer = await measure(EXTERNAL, JOB_LAYER);
  const budget = budgetKb * 1024;
  const ok = own.gzip <= budget;
  if (args.includes('--json')) {
    console.log(JSON.stringify({ budgetBytes: budget, ok, rootEntry: { minified: own.minified, gzip: own.gzip }, withDependencies: { minified: all.minified, gzip: all.gzip }, typicalApp: { minified: typical.minified, gzip: typical.gzip }, jobLayer: { minified: jobLayer.minified, gzip: jobLayer.gzip } }));
  } else {
    const table = [
      '| bundle (esm, minified, browser) | minified | gzip |',
      '|---|---:|---:|',
      `| root entry, rxjs/io-ts/fp-ts/cross-fetch external | ${kb(own.minified)} KB | ${kb(own.gzip)} KB |`,
      `| root entry with all dependencies | ${kb(all.minified)} KB | ${kb(all.gzip)} KB |`,
      `| a typical app's imports (NucleusClient, completeOrThrow, concatJobs, progress), deps external | ${kb(typical.minified)} KB | ${kb(typical.gzip)} KB |`,
      `| the job layer without the HTTP client (AsyncJob, operators, policies, errors: an app with its own JobApi), deps external | ${kb(jobLayer.minified)} KB | ${kb(jobLayer.gzip)} KB |`,
    ].join('\n');
    console.log(table);
    if (args.includes('--write')) writeTable(table);
    console.log('\nlargest inputs of the root entry (minified bytes):');
    for (const i of own.inputs.slice(0, 8)) console.log(`  ${String(i.bytes).padStart(7)}  ${i.file}`);
    console.log(`\nbudget: root entry <= ${budgetKb} KB gzip: ${ok ? 'OK' : 'OVER BUDGET'} (${kb(own.gzip)} KB)`);
  }
  if (!ok) process.exitCode = 1;
}

main().catch((e) => {
  // A Node-only import reached from the root entry fails here too (platform: browser).
  console.error(`size: ${e.message}`);
  process.exitCode = 2;
});
