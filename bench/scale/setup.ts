/**
 * Setup of the scale benchmark: starts the emulator in its own process and creates the jobs to
 * watch over plain HTTP (signed URL, PUT, async append), so neither side shares a process with the
 * watchers being measured.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

export const BENCH_KEY = 'scale-bench-key';

export interface Emulator {
  readonly url: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `dist/cjs/emulator/main.js` on a free loopback port and resolves with its URL. */
export function startEmulatorProcess(root: string, args: readonly string[]): Promise<Emulator> {
  const child = spawn(process.execPath, [path.join(root, 'dist/cjs/emulator/main.js'), '--port', '0', ...args], {
    env: { ...process.env, NUCLEUS_EMULATOR_API_KEYS: BENCH_KEY },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const m = /listening on (\S+)/.exec(out);
      if (m) {
        child.removeAllListeners('exit');
        resolve({
          url: m[1]!.replace(/\/?$/, '/'),
          child,
          stop: () =>
            new Promise<void>((done) => {
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
  });
}

const auth = `Basic ${Buffer.from(`${BENCH_KEY}:`).toString('base64')}`;

async function call(url: string, init: { method: string; body?: string; auth?: boolean }): Promise<unknown> {
  const res = await fetch(url, {
    method: init.method,
    headers: { ...(init.auth === false ? {} : { authorization: auth }), 'content-type': 'application/json' },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method} ${url.replace(/\?.*/, '')} answered ${res.status}: ${text.slice(0, 200)}`);
  return text === '' ? undefined : JSON.parse(text);
}

/** The raw job-info objects of `count` async appends of `lines` items each, `concurrency` at a time. */
export async function createJobs(base: string, count: number, lines: number, concurrency = 32): Promise<unknown[]> {
  const { dataset_id: datasetId } = (await call(`${base}dataset/create`, { method: 'POST', body: JSON.stringify({ name: 'scale', is_scene: false }) })) as { dataset_id: string };
  const jobs: unknown[] = new Array(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < count; i = next++) {
      const requestId = `scale${i.toString(16).padStart(8, '0')}${'0'.repeat(20)}`;
      const { signed_url: signedUrl } = (await call(`${base}dataset/${datasetId}/signedUrl/${requestId}`, { method: 'GET' })) as { signed_url: string };
      const ndjson = Array.from({ length: lines }, (_, k) => JSON.stringify({ image_url: `s3://bench/${i}/${k}.jpg`, reference_id: `img_${i}_${k}` })).join('\n');
      await call(signedUrl, { method: 'PUT', body: ndjson, auth: false });
      jobs[i] = await call(`${base}dataset/${datasetId}/append?async=1`, { method: 'POST', body: JSON.stringify({ requestId, update: false }) });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return jobs;
}
