// Teardown: unsubscribing at every stage of a job's life leaves nothing behind. No timer, socket or
// request survives (process.getActiveResourcesInfo() is back to its baseline) and the request in
// flight was aborted (its fetch signal fired). The emulator runs in a child process, so the only
// resources of this process are the client's.
import { expect } from 'chai';
import { fetch as crossFetch } from 'cross-fetch';
import { firstValueFrom, lastValueFrom, type Subscription } from 'rxjs';
import { AsyncJob, concatJobs, exponentialBackoff, NucleusClient, type FetchLike, type JobInfo } from '../../lib/index.js';
import { DEMO_API_KEY } from '../../lib/emulator/index.js';
import { startChildEmulator, type ChildEmulator } from './support/child-emulator.js';

interface Call {
  readonly method: string;
  readonly url: string;
  readonly signal: AbortSignal;
  outcome: 'pending' | 'answered' | 'failed';
  status?: number;
}

function recordingFetch(calls: Call[]): FetchLike {
  const inner = crossFetch as unknown as FetchLike;
  return (url, init) => {
    const call: Call = { method: init.method, url, signal: init.signal, outcome: 'pending' };
    calls.push(call);
    return inner(url, init).then(
      (res) => {
        call.outcome = 'answered';
        call.status = res.status;
        return res;
      },
      (e: unknown) => {
        call.outcome = 'failed';
        throw e;
      },
    );
  };
}

/** Resource types and how many of each keep the event loop alive. */
function resources(): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of process.getActiveResourcesInfo()) m.set(r, (m.get(r) ?? 0) + 1);
  return m;
}

/** A turn of the event loop and a little more, for closed sockets and cleared timers to go. */
async function settle(): Promise<void> {
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setImmediate(r));
}

/** The measure sees what is pending: more of `type` than at the baseline (so the later check can fail). */
function expectAbove(base: Map<string, number>, type: string): void {
  expect(resources().get(type) ?? 0, `${type} while pending`).to.be.greaterThan(base.get(type) ?? 0);
}

async function expectBackToBaseline(base: Map<string, number>): Promise<void> {
  await settle();
  const now = resources();
  for (const [type, n] of now) expect(n, `${type}: ${n} now, ${base.get(type) ?? 0} before (${[...now].join(', ')})`).to.be.at.most(base.get(type) ?? 0);
}

const until = async (cond: () => boolean, what: string): Promise<void> => {
  for (let i = 0; i < 300 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond(), what).to.equal(true);
};

describe('reliability: teardown at every stage leaves no timer, socket or request', function () {
  this.timeout(30_000);
  let emu: ChildEmulator;
  let calls: Call[];
  let client: NucleusClient;
  let info: JobInfo;
  let datasetId: string;
  const slowPolicy = exponentialBackoff({ initialDelayMs: 60_000, failureDelayMs: 60_000, maxDelayMs: 60_000, maxFailureDelayMs: 60_000, jitter: 0 });

  before(async () => {
    emu = await startChildEmulator({ queueMs: 60_000 });
  });
  after(() => emu?.stop());

  beforeEach(async () => {
    await emu.setFaults(undefined);
    calls = [];
    client = new NucleusClient({
      apiKey: DEMO_API_KEY,
      endpoint: emu.url,
      fetch: recordingFetch(calls),
      retry: { maxRetries: 3, initialDelayMs: 60_000, maxDelayMs: 60_000 },
      timeoutMs: 60_000,
    });
    const ds = await firstValueFrom(client.createDataset({ name: 'teardown' }));
    datasetId = ds.id;
    info = (await firstValueFrom(ds.append([{ reference_id: 'a', image_url: 's3://b/a.jpg' }], { asynchronous: true }))) as unknown as JobInfo;
    calls.length = 0;
    await settle();
  });

  const job = (): AsyncJob => new AsyncJob(info, client, { policy: slowPolicy });
  const everyRequestEnded = (): void => {
    for (const c of calls) expect(c.outcome === 'answered' || c.signal.aborted, `${c.method} ${c.url} still ${c.outcome}`).to.equal(true);
  };

  it('before the first answer: unsubscribing at once aborts the first poll', async () => {
    await emu.setFaults({ schedule: [{ route: 'job.status', calls: 'all', fault: 'delay', delayMs: 600_000 }] });
    const base = resources();
    const sub = job().subscribe();
    sub.unsubscribe();
    expect(calls.every((c) => c.signal.aborted)).to.equal(true);
    await expectBackToBaseline(base);
    everyRequestEnded();
  });

  it('mid-request: the poll is at the server, held there; unsubscribing aborts it', async () => {
    await emu.setFaults({ schedule: [{ route: 'job.status', calls: 'all', fault: 'delay', delayMs: 600_000 }] });
    const base = resources();
    const before = await emu.requests('job.status');
    const sub = job().subscribe();
    await emu.waitForRequests('job.status', before + 1);
    expect(calls).to.have.length(1);
    expect(calls[0]!.outcome).to.equal('pending');
    expectAbove(base, 'TCPSocketWrap');
    sub.unsubscribe();
    expect(calls[0]!.signal.aborted, 'the in-flight fetch was aborted').to.equal(true);
    await expectBackToBaseline(base);
    everyRequestEnded();
  });

  it('mid-backoff of the transport: after a 503, the retry timer is cleared and no retry is sent', async () => {
    await emu.setFaults({ schedule: [{ route: 'job.status', calls: 'all', fault: 'http503' }] });
    const base = resources();
    const sub = job().subscribe();
    await until(() => calls.length === 1 && calls[0]!.outcome === 'answered', 'the first poll answered');
    expect(calls[0]!.status).to.equal(503);
    await settle();
    expectAbove(base, 'Timeout');
    sub.unsubscribe();
    await expectBackToBaseline(base);
    expect(calls).to.have.length(1);
  });

  it('mid-backoff of the poll loop: after a 429 with Retry-After, and between successful polls, the wait is cleared', async () => {
    await emu.setFaults({ schedule: [{ route: 'job.status', calls: [1], fault: 'http429', retryAfterSeconds: 120 }] });
    const c = new NucleusClient({ apiKey: DEMO_API_KEY, endpoint: emu.url, fetch: recordingFetch(calls), retry: false, timeoutMs: 60_000 });
    const base = resources();
    const errored: unknown[] = [];
    const sub: Subscription = new AsyncJob(info, c, { policy: slowPolicy }).subscribe({ error: (e: unknown) => errored.push(e) });
    await until(() => calls.length === 1 && calls[0]!.outcome === 'answered', 'the 429 answered');
    expect(calls[0]!.status).to.equal(429);
    sub.unsubscribe();
    await expectBackToBaseline(base);
    expect(errored).to.deep.equal([]);

    // Between two successful polls of a queued job.
    const snaps: string[] = [];
    const sub2 = new AsyncJob(info, c, { policy: slowPolicy }).subscribe((s) => snaps.push(s.status));
    await until(() => snaps.length === 1, 'the first snapshot');
    expect(snaps).to.deep.equal(['Queued']);
    await settle();
    expectAbove(base, 'Timeout');
    sub2.unsubscribe();
    await expectBackToBaseline(base);
    expect(calls).to.have.length(2);
  });

  it('mid-upload: the PUT to the signed URL is aborted, and no job is started', async () => {
    await emu.setFaults({ schedule: [{ route: 'upload.put', calls: 'all', fault: 'delay', delayMs: 600_000 }] });
    const jobsBefore = ((await emu.control('GET', 'jobs')) as unknown[]).length;
    const base = resources();
    const before = await emu.requests('upload.put');
    const sub = client
      .dataset(datasetId)
      .append(Array.from({ length: 500 }, (_, i) => ({ reference_id: `u${i}`, image_url: `s3://b/u${i}.jpg` })), { asynchronous: true })
      .subscribe();
    await emu.waitForRequests('upload.put', before + 1);
    const put = calls.find((c) => c.method === 'PUT')!;
    expect(put.outcome).to.equal('pending');
    expectAbove(base, 'TCPSocketWrap');
    sub.unsubscribe();
    expect(put.signal.aborted, 'the upload was aborted').to.equal(true);
    await expectBackToBaseline(base);
    everyRequestEnded();
    expect(calls.filter((c) => c.method === 'POST'), 'no job-starting POST').to.deep.equal([]);
    expect(((await emu.control('GET', 'jobs')) as unknown[]).length).to.equal(jobsBefore);
  });

  it('live errors$ and a concatJobs chain: unsubscribing mid-way clears both loops and never submits the next step', async () => {
    await emu.setFaults({ schedule: [{ route: 'job.errors', calls: 'all', fault: 'delay', delayMs: 600_000 }] });
    const base = resources();
    const j = job();
    const subs = [j.subscribe(), j.errors$({ live: true }).subscribe()];
    await until(() => calls.some((c) => c.url.endsWith('/errors')) && calls.some((c) => !c.url.endsWith('/errors') && c.outcome === 'answered'), 'both loops started');
    subs.forEach((s) => s.unsubscribe());
    await expectBackToBaseline(base);
    everyRequestEnded();

    let nextSubmitted = 0;
    const chain = concatJobs(j, () => {
      nextSubmitted++;
      return client.dataset(datasetId).append([{ reference_id: 'z', image_url: 's3://b/z.jpg' }], { asynchronous: true }) as never;
    }).subscribe();
    await until(() => calls.filter((c) => !c.url.endsWith('/errors') && c.outcome === 'answered').length >= 2, 'the chain polled');
    chain.unsubscribe();
    await expectBackToBaseline(base);
    everyRequestEnded();
    expect(nextSubmitted).to.equal(0);
  });

  it('a job that completes cleans up by itself (the reference case the others are compared with)', async () => {
    await emu.control('POST', `jobs/${info.jobId}/state`, { status: 'Completed', pin: true });
    const base = resources();
    const last = await lastValueFrom(job());
    expect(last.status).to.equal('Completed');
    await expectBackToBaseline(base);
    everyRequestEnded();
  });
});
