/**
 * Where the CPU of a watcher process goes: reads V8 CPU profiles (`npm run bench:scale -- --profile
 * DIR` writes one per contender) and sums self time by layer (fetch/undici, node-fetch, Node's HTTP
 * and streams, the library's HTTP layer, io-ts decoding, the poll loop/snapshots/policies, rxjs, GC)
 * plus the functions that cost most. Idle time is left out of the shares.
 * `node build/bench/scale/profile-summary.js DIR/*.cpuprofile [--top 12]`
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** The layer a function belongs to, by its script URL (first match wins). */
const LAYERS: readonly [string, (url: string, fn: string) => boolean][] = [
  ['idle', (u, f) => u === '' && f === '(idle)'],
  ['GC', (u, f) => u === '' && f === '(garbage collector)'],
  ['(program: native, not attributed)', (u, f) => u === '' && f === '(program)'],
  ['undici (global fetch)', (u) => /undici/.test(u)],
  ['node-fetch (cross-fetch)', (u) => /node_modules\/(node-fetch|cross-fetch|whatwg-url|tr46|webidl-conversions)\//.test(u)],
  ['io-ts / fp-ts', (u) => /node_modules\/(io-ts|fp-ts)\//.test(u)],
  ['rxjs', (u) => /node_modules\/rxjs\//.test(u)],
  ['library: node transport (lib/node)', (u) => /\/lib\/node\//.test(u)],
  ['library: HTTP layer (lib/http)', (u) => /\/lib\/http\//.test(u)],
  ['library: codecs (lib/codecs)', (u) => /\/lib\/codecs\//.test(u)],
  ['library: loop, job, snapshot, policy (lib/*)', (u) => /\/lib\//.test(u) && !/node_modules/.test(u)],
  ['bench harness', (u) => /\/bench\//.test(u)],
  ['node: http, net, streams', (u) => /^node:(internal\/)?(_?http|net|stream|tls|dns|buffer|string_decoder)/.test(u)],
  ['node: timers, events, promises, other', (u) => u.startsWith('node:')],
  ['other', () => true],
];

function layerOf(url: string, fn: string): string {
  return LAYERS.find(([, match]) => match(url, fn))![0];
}

function summarize(file: string, top: number): void {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const layers = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const layer = layerOf(url, functionName);
    layers.set(layer, (layers.get(layer) ?? 0) + us);
    if (layer === 'idle') continue;
    const name = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(node_modules|build)\//, '').replace(/^file:\/\//, '')}:${lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
  }
  const busy = [...layers].filter(([l]) => l !== 'idle').reduce((s, [, us]) => s + us, 0);
  console.log(`\n${path.basename(file)}: ${(busy / 1e6).toFixed(1)} s busy, ${((layers.get('idle') ?? 0) / 1e6).toFixed(1)} s idle\n`);
  console.log('| layer (self time) | ms | share of busy |');
  console.log('|---|---:|---:|');
  for (const [layer, us] of [...layers].filter(([l]) => l !== 'idle').sort((a, b) => b[1] - a[1])) {
    console.log(`| ${layer} | ${(us / 1e3).toFixed(0)} | ${((100 * us) / busy).toFixed(1)} % |`);
  }
  console.log(`\n| top functions (self time) | ms | share |`);
  console.log('|---|---:|---:|');
  for (const [name, us] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`| \`${name}\` | ${(us / 1e3).toFixed(0)} | ${((100 * us) / busy).toFixed(1)} % |`);
  }
}

const args = process.argv.slice(2);
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args[topAt + 1]) : 12;
for (const file of args.filter((a, i) => a.endsWith('.cpuprofile') && i !== topAt + 1)) summarize(file, top);
