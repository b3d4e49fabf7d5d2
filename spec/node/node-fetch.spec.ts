/**
 * createNodeFetch: the FetchLike over node:http, first against small loopback servers (answers,
 * headers, bodies, keep-alive, redirects, aborts, network errors), then as the fetch of a
 * NucleusClient against the emulator (jobs watched to the end, ConnectionError, RequestTimeoutError,
 * unsubscribe aborting the request, the key kept out of errors).
 */
import { expect } from 'chai';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { startEmulator, type EmulatorHandle } from '../../lib/emulator/index.js';
import { ConnectionError, RequestTimeoutError } from '../../lib/errors.js';
import type { FetchInit } from '../../lib/http/fetch-answer.js';
import { NucleusClient } from '../../lib/nucleus-client.js';
import { createNodeFetch, type NodeFetch } from '../../lib/node/index.js';
import { expectNoKey } from '../support/no-secret.js';

interface Server {
  readonly url: string;
  readonly server: http.Server;
  /** Requests seen, with the local port of the client's socket (one port per connection). */
  readonly seen: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string; clientPort: number }[];
  close(): Promise<void>;
}

async function serve(handler: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void): Promise<Server> {
  const seen: Server['seen'] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, clientPort: req.socket.remotePort ?? 0 });
      handler(req, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    seen,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const get = (signal = new AbortController().signal, headers: Record<string, string> = {}): FetchInit => ({ method: 'GET', headers, signal });

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => expect.fail('expected a rejection'),
    (e: unknown) => e,
  );
}

describe('createNodeFetch', () => {
  let fetch: NodeFetch;
  let servers: Server[];
  beforeEach(() => {
    fetch = createNodeFetch();
    servers = [];
  });
  afterEach(async () => {
    fetch.destroy();
    await Promise.all(servers.map((s) => s.close()));
  });
  const start = async (handler: Parameters<typeof serve>[0]): Promise<Server> => {
    const s = await serve(handler);
    servers.push(s);
    return s;
  };

  it('answers status, headers (case-insensitive, repeated ones joined) and the body as UTF-8, split anywhere', async () => {
    const s = await start((_req, res) => {
      res.writeHead(404, { 'Content-Type': 'application/json', 'X-Many': ['a', 'b'] });
      const bytes = Buffer.from(JSON.stringify({ name: 'é€😀' }), 'utf8');
      // A multi-byte character cut in two between chunks.
      res.write(bytes.subarray(0, 11));
      setTimeout(() => res.end(bytes.subarray(11)), 5);
    });
    const res = await fetch(`${s.url}/job/j1?x=1`, get(undefined, { authorization: 'Basic abc' }));
    expect(res.status).to.equal(404);
    expect(res.headers.get('content-type')).to.equal('application/json');
    expect(res.headers.get('X-MANY')).to.equal('a, b');
    expect(res.headers.get('retry-after')).to.equal(null);
    expect(JSON.parse(await res.text())).to.deep.equal({ name: 'é€😀' });
    expect(s.seen[0]).to.deep.include({ method: 'GET', url: '/job/j1?x=1' });
    expect(s.seen[0]!.headers.authorization).to.equal('Basic abc');
    expect(s.seen[0]!.headers['accept-encoding']).to.equal(undefined);
  });

  it('sends a body with its byte length', async () => {
    const s = await start((_req, res) => res.end('ok'));
    const res = await fetch(`${s.url}/x`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":"€"}', signal: new AbortController().signal });
    expect(await res.text()).to.equal('ok');
    expect(s.seen[0]).to.deep.include({ method: 'POST', body: '{"a":"€"}' });
    expect(s.seen[0]!.headers['content-length']).to.equal('11');
  });

  it('keeps the connection alive between requests', async () => {
    const s = await start((_req, res) => res.end('{}'));
    for (let i = 0; i < 3; i++) await (await fetch(`${s.url}/job/j`, get())).text();
    expect(s.seen).to.have.length(3);
    expect(new Set(s.seen.map((r) => r.clientPort)).size).to.equal(1);
  });

  it('follows redirects, dropping the authorization header on another origin; manual mode answers the redirect', async () => {
    const other = await start((_req, res) => res.end('there'));
    const s = await start((req, res) => {
      if (req.url === '/a') res.writeHead(302, { location: '/b' }).end();
      else if (req.url === '/b') res.writeHead(307, { location: `${other.url}/c` }).end();
      else res.end('?');
    });
    const res = await fetch(`${s.url}/a`, get(undefined, { authorization: 'Basic secret' }));
    expect(res.status).to.equal(200);
    expect(await res.text()).to.equal('there');
    expect(s.seen.map((r) => [r.url, r.headers.authorization])).to.deep.equal([
      ['/a', 'Basic secret'],
      ['/b', 'Basic secret'],
    ]);
    expect(other.seen[0]!.headers.authorization).to.equal(undefined);
    const manual = await fetch(`${s.url}/a`, { ...get(), redirect: 'manual' });
    expect(manual.status).to.equal(302);
    expect(manual.headers.get('location')).to.equal('/b');
    expect(await rejection(fetch(`${s.url}/a`, { ...get(), redirect: 'error' }))).to.be.instanceOf(TypeError);
  });

  it('turns a 303 after a POST into a GET without body', async () => {
    const s = await start((req, res) => (req.url === '/post' ? res.writeHead(303, { location: '/done' }).end() : res.end('done')));
    const res = await fetch(`${s.url}/post`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', signal: new AbortController().signal });
    expect(await res.text()).to.equal('done');
    expect(s.seen.map((r) => [r.method, r.url, r.body, r.headers['content-type']])).to.deep.equal([
      ['POST', '/post', '{}', 'application/json'],
      ['GET', '/done', '', undefined],
    ]);
  });

  it('rejects with the signal reason: aborted before sending (nothing sent) or while waiting (the connection closes)', async () => {
    let closed!: () => void;
    const connectionClosed = new Promise<void>((r) => (closed = r));
    const s = await start((req) => req.socket.once('close', () => closed())); // never answers
    const early = new AbortController();
    early.abort(new Error('early'));
    expect(((await rejection(fetch(`${s.url}/x`, get(early.signal)))) as Error).message).to.equal('early');
    const late = new AbortController();
    const sent = fetch(`${s.url}/y`, get(late.signal));
    while (s.seen.length === 0) await new Promise((r) => setTimeout(r, 5));
    late.abort();
    const e = (await rejection(sent)) as Error;
    expect(e.name).to.equal('AbortError');
    await connectionClosed;
    expect(s.seen.map((r) => r.url)).to.deep.equal(['/y']);
  });

  it('fails the body read when aborted mid-body or when the connection is cut mid-body', async () => {
    const s = await start((req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('{"partial":');
      if (req.url === '/cut') setTimeout(() => res.destroy(), 10);
    });
    const controller = new AbortController();
    const res = await fetch(`${s.url}/abort`, get(controller.signal));
    controller.abort();
    expect(((await rejection(res.text())) as Error).name).to.equal('AbortError');
    const cut = await fetch(`${s.url}/cut`, get());
    const e = (await rejection(cut.text())) as Error;
    expect(e).to.be.instanceOf(TypeError);
    expect(e.message).to.equal('terminated');
  });

  it('rejects like fetch when there is no answer: TypeError("fetch failed") with the network error as cause', async () => {
    const s = await start(() => undefined);
    const url = s.url;
    await s.close();
    servers = [];
    const e = (await rejection(fetch(`${url}/x`, get()))) as TypeError & { cause: { code?: string } };
    expect(e).to.be.instanceOf(TypeError);
    expect(e.message).to.equal('fetch failed');
    expect(e.cause.code).to.equal('ECONNREFUSED');
    expect(await rejection(fetch('ftp://127.0.0.1/x', get()))).to.be.instanceOf(TypeError);
    expect(await rejection(fetch('not a url', get()))).to.be.instanceOf(TypeError);
  });
});

describe('createNodeFetch as the fetch of NucleusClient, against the emulator', () => {
  const KEY = 'node-fetch-key-1';
  let emu: EmulatorHandle;
  let fetch: NodeFetch;
  before(async () => {
    emu = await startEmulator({ apiKeys: [KEY], queueMs: 10, stepMs: 10, linesPerStep: 2 });
  });
  after(() => emu.close());
  beforeEach(() => (fetch = createNodeFetch()));
  afterEach(() => {
    emu.control.setFaults(undefined);
    fetch.destroy();
  });

  const items = [
    { reference_id: 'img_1', image_url: 's3://bucket/img_1.jpg' },
    { reference_id: 'img_2', image_url: 's3://bucket/img_2.jpg' },
    { reference_id: 'img_3', image_url: 's3://bucket/img_3.jpg' },
  ];

  it('uploads (signed URL, PUT, append) and watches the job to Completed', async () => {
    const client = new NucleusClient({ apiKey: KEY, endpoint: emu.url, fetch, polling: { policy: () => 10 } });
    const dataset = await firstValueFrom(client.createDataset({ name: 'node-fetch' }));
    const job = await lastValueFrom(dataset.append(items, { asynchronous: true }));
    const last = await lastValueFrom(job);
    expect(last.status).to.equal('Completed');
    expect(await firstValueFrom(client.getErrors(job.jobId))).to.deep.equal([]);
  });

  it('retries a cut answer (which cross-fetch would hang on) and starts one job', async () => {
    const client = new NucleusClient({ apiKey: KEY, endpoint: emu.url, fetch, retry: { initialDelayMs: 10, maxDelayMs: 50 } });
    const dataset = await firstValueFrom(client.createDataset({ name: 'cut' }));
    const before = emu.control.jobStates().length;
    emu.control.setFaults({ schedule: [{ route: 'dataset.append', calls: [1], fault: 'truncate' }] });
    await firstValueFrom(dataset.append(items, { asynchronous: true }));
    expect(emu.control.counters().faults.truncate).to.equal(1);
    expect(emu.control.jobStates().length).to.equal(before + 1);
  });

  it('a reset connection fails with ConnectionError (no retries), the key nowhere in it', async () => {
    const client = new NucleusClient({ apiKey: KEY, endpoint: emu.url, fetch, retry: false });
    emu.control.setFaults({ schedule: [{ route: 'job.status', calls: [1], fault: 'reset' }] });
    const e = (await rejection(firstValueFrom(client.getStatus('job_x')))) as ConnectionError;
    expect(e).to.be.instanceOf(ConnectionError);
    expect(e.route).to.equal('job/job_x');
    expect((e.cause as Error).message).to.equal('fetch failed');
    expectNoKey(e, KEY, 'reset');
    // The renderings checked include the cause chain.
    expect(inspect(e, { depth: Infinity })).to.contain('fetch failed');
  });

  it('a refused connection fails with ConnectionError', async () => {
    const dead = await startEmulator({ apiKeys: [KEY] });
    const url = dead.url;
    await dead.close();
    const client = new NucleusClient({ apiKey: KEY, endpoint: url, fetch, retry: false });
    expect(await rejection(firstValueFrom(client.getStatus('job_x')))).to.be.instanceOf(ConnectionError);
  });

  it('a slow answer fails with RequestTimeoutError', async () => {
    const client = new NucleusClient({ apiKey: KEY, endpoint: emu.url, fetch, retry: false, timeoutMs: 100 });
    emu.control.setFaults({ schedule: [{ route: 'job.status', calls: [1], fault: 'delay' }], delayMs: 2000 });
    const e = (await rejection(firstValueFrom(client.getStatus('job_x')))) as RequestTimeoutError;
    expect(e).to.be.instanceOf(RequestTimeoutError);
    expect(e.timeoutMs).to.equal(100);
  });

  it('unsubscribing aborts the request in flight: its socket closes', async () => {
    const s = await serve(() => undefined); // holds every request
    let closed = false;
    s.server.on('connection', (socket) => socket.once('close', () => (closed = true)));
    try {
      const client = new NucleusClient({ apiKey: KEY, endpoint: `${s.url}/v1/nucleus/`, fetch, retry: false });
      const sub = client.getStatus('job_x').subscribe({ error: () => undefined });
      while (s.seen.length === 0) await new Promise((r) => setTimeout(r, 5));
      sub.unsubscribe();
      for (let i = 0; i < 100 && !closed; i++) await new Promise((r) => setTimeout(r, 5));
      expect(closed).to.equal(true);
    } finally {
      await s.close();
    }
  });
});
