// Test helpers for the emulator specs: a tiny typed HTTP client over global fetch.
import { request as httpRequest } from 'node:http';
import { DEMO_API_KEY, startEmulator, createManualClock, type EmulatorHandle, type EmulatorOptions, type ManualClock } from '../../lib/emulator/index.js';

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export const basic = (key: string): string => 'Basic ' + Buffer.from(`${key}:`).toString('base64');

export async function call(url: string, init: { method?: string; key?: string | null; body?: unknown; raw?: string | Buffer; headers?: Record<string, string> } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (init.key !== null) headers['authorization'] ??= basic(init.key ?? DEMO_API_KEY);
  let body: string | Buffer | undefined = init.raw;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(url, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body: body as BodyInit | undefined });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** A raw node:http request (for bodies fetch would not send, and for reading 413 answers). */
export function rawRequest(url: string, init: { method: string; headers?: Record<string, string>; body?: Buffer }): Promise<{ status: number; text: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    // Like Python's requests, a body always goes with its Content-Length (Node would send a GET's body unframed).
    const headers = { ...(init.body && !init.headers?.['transfer-encoding'] ? { 'content-length': String(init.body.length) } : {}), ...init.headers };
    const req = httpRequest(url, { method: init.method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

export interface Fixture {
  emu: EmulatorHandle;
  clock: ManualClock;
}

/** An emulator on a manual clock: queue 100 ms, 10 lines per 1000 ms step unless overridden. */
export async function startManual(options: EmulatorOptions = {}): Promise<Fixture> {
  const clock = createManualClock(Date.UTC(2026, 10, 28, 10, 0, 0));
  const emu = await startEmulator({ clock, queueMs: 100, stepMs: 1000, linesPerStep: 10, ...options });
  return { emu, clock };
}

export async function createDataset(emu: EmulatorHandle, name = 'ds', key?: string): Promise<string> {
  const r = await call(`${emu.url}/dataset/create`, { body: { name }, ...(key ? { key } : {}) });
  if (r.status !== 200) throw new Error(`create dataset answered ${r.status}`);
  return r.json.dataset_id as string;
}

let rid = 0;
export const newRequestId = (): string => `req${Date.now().toString(16)}${(rid++).toString(16).padStart(6, '0')}`;

/** signedUrl + PUT + POST append/annotate; answers the job-info answer. */
export async function upload(emu: EmulatorHandle, datasetId: string, kind: 'append' | 'annotate', ndjson: string | Buffer, opts: { key?: string; update?: boolean; requestId?: string } = {}): Promise<Answer & { requestId: string }> {
  const requestId = opts.requestId ?? newRequestId();
  const keyed = opts.key ? { key: opts.key } : {};
  const s = await call(`${emu.url}/dataset/${datasetId}/signedUrl/${requestId}`, keyed);
  if (s.status !== 200) throw new Error(`signedUrl answered ${s.status}`);
  const put = await fetch(s.json.signed_url as string, { method: 'PUT', body: ndjson as BodyInit });
  await put.text();
  if (put.status !== 200) throw new Error(`PUT answered ${put.status}`);
  const r = await call(`${emu.url}/dataset/${datasetId}/${kind}?async=1`, { body: { requestId, update: opts.update ?? false }, ...keyed });
  return { ...r, requestId };
}

export const itemLine = (ref: string, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ image_url: `s3://bucket/${ref}.jpg`, reference_id: ref, metadata: {}, ...extra });

export const boxLine = (ref: string, annotationId: string): string =>
  JSON.stringify({ label: 'car', type: 'box', geometry: { x: 50, y: 60, width: 70, height: 80 }, reference_id: ref, annotation_id: annotationId, metadata: {} });

/** Runs the manual clock until the job is terminal (bounded). */
export function runToEnd(f: Fixture, jobId: string): void {
  for (let i = 0; i < 100_000; i++) {
    const s = f.emu.control.jobState(jobId);
    if (!s || !['Queued', 'Running'].includes(s.status) || !f.clock.runNext()) return;
  }
}
