import { expect } from 'chai';
import { AsyncJob } from '../lib/async-job.js';
import { NucleusClient } from '../lib/nucleus-client.js';
import { ApiError, ValidationError } from '../lib/errors.js';
import { DEFAULT_RETRY_OPTIONS } from '../lib/http/retry-policy.js';
import { type Call, FakeFetch, KEY, type Outcome, advance, newScheduler, record } from './helpers/fake-fetch.js';

const ENDPOINT = 'https://api.example.test/v1/nucleus';
const SIGNED = 'https://bucket.storage.test/uploads/abc?sig=xyz';
const JOB = { job_id: 'job_1', job_last_known_status: 'Queued', job_type: 'uploadDatasetItems', job_creation_time: '2026-11-29T12:00:00Z' };

function setup(override?: (call: Call, i: number) => Outcome | undefined) {
  const scheduler = newScheduler();
  const fake = new FakeFetch(scheduler, (call, i) => {
    const o = override?.(call, i);
    if (o !== undefined) return o;
    if (call.method === 'GET' && call.path.includes('/signedUrl/')) return { body: { signed_url: SIGNED } };
    if (call.method === 'PUT') return { status: 200 };
    if (call.method === 'POST') return { body: JOB };
    return { status: 500 };
  });
  const client = new NucleusClient({ apiKey: KEY, endpoint: ENDPOINT, fetch: fake.fetch, scheduler, retry: { ...DEFAULT_RETRY_OPTIONS, random: () => 0.5 } });
  return { scheduler, fake, client };
}

const items = [
  { reference_id: 'img_1', image_url: 's3://bucket/img_1.jpg', metadata: { camera: 'front' } },
  { ref_id: 'img_2', image_url: 's3://bucket/img_2.jpg' },
];
const annotations = [
  { type: 'box' as const, label: 'car', reference_id: 'img_1', annotation_id: 'a1', geometry: { x: 50, y: 60, width: 70, height: 80 } },
  { type: 'category' as const, label: 'day', reference_id: 'img_1', geometry: {} },
];

describe('Dataset', () => {
  it('append: signed URL, NDJSON PUT without the key, POST ?async=1 with the same requestId, emits the job', async () => {
    const { scheduler, fake, client } = setup();
    const { rec } = record(scheduler, client.dataset('ds_1').append(items as never, { asynchronous: true }));
    await advance(scheduler, 0);
    expect(fake.calls.map((c) => `${c.method} ${c.path}`)).to.have.length(3);
    const [get, put, post] = fake.calls as [Call, Call, Call];
    const m = /^\/v1\/nucleus\/dataset\/ds_1\/signedUrl\/([0-9a-f]{32})$/.exec(get.path);
    expect(m, get.path).not.to.equal(null);
    const requestId = m![1];
    expect(put.url).to.equal(SIGNED);
    expect(put.header('authorization')).to.equal(undefined);
    expect(put.header('content-type')).to.equal('application/x-ndjson');
    expect(put.body!.split('\n').map((l) => JSON.parse(l))).to.deep.equal([
      { reference_id: 'img_1', image_url: 's3://bucket/img_1.jpg', metadata: { camera: 'front' } },
      { reference_id: 'img_2', image_url: 's3://bucket/img_2.jpg' },
    ]);
    expect(post.path).to.equal('/v1/nucleus/dataset/ds_1/append?async=1');
    expect(JSON.parse(post.body!)).to.deep.equal({ requestId, update: false });
    expect(post.header('authorization')).to.match(/^Basic /);
    expect(rec.values).to.have.length(1);
    expect(rec.values[0]).to.be.instanceOf(AsyncJob);
    expect((rec.values[0] as AsyncJob).toJSON()).to.deep.equal({ jobId: 'job_1', lastKnownStatus: 'Queued', jobType: 'uploadDatasetItems', createdAt: '2026-11-29T12:00:00Z' });
    expect(rec.completedAt).to.equal(0);
  });

  it('annotate: POSTs to annotate with update, NDJSON of the annotations', async () => {
    const { scheduler, fake, client } = setup();
    record(scheduler, client.dataset('ds_1').annotate(annotations, { asynchronous: true, update: true }));
    await advance(scheduler, 0);
    const [, put, post] = fake.calls as [Call, Call, Call];
    expect(put.body!.split('\n').map((l) => JSON.parse(l))).to.deep.equal(annotations);
    expect(post.path).to.equal('/v1/nucleus/dataset/ds_1/annotate?async=1');
    expect(JSON.parse(post.body!).update).to.equal(true);
  });

  it('is cold: nothing is sent before subscription, and each subscription is a new upload', async () => {
    const { scheduler, fake, client } = setup();
    const upload$ = client.dataset('ds_1').append(items as never, { asynchronous: true });
    await advance(scheduler, 0);
    expect(fake.calls).to.have.length(0);
    record(scheduler, upload$);
    record(scheduler, upload$);
    await advance(scheduler, 0);
    const ids = fake.calls.filter((c) => c.method === 'POST').map((c) => JSON.parse(c.body!).requestId);
    expect(ids).to.have.length(2);
    expect(ids[0]).not.to.equal(ids[1]);
  });

  it('never starts a second job: a failed POST is resent with the same requestId, not the whole upload', async () => {
    let posts = 0;
    const { scheduler, fake, client } = setup((call) => (call.method === 'POST' && posts++ < 2 ? (posts === 1 ? { status: 502 } : new TypeError('fetch failed')) : undefined));
    const { rec } = record(scheduler, client.dataset('ds_1').append(items as never, { asynchronous: true }));
    await advance(scheduler, 60_000);
    expect(fake.calls.map((c) => c.method)).to.deep.equal(['GET', 'PUT', 'POST', 'POST', 'POST']);
    const ids = new Set(fake.calls.filter((c) => c.method === 'POST').map((c) => JSON.parse(c.body!).requestId));
    expect(ids.size).to.equal(1);
    expect(fake.calls[0]!.path).to.contain([...ids][0]);
    expect(rec.values).to.have.length(1);
  });

  it('retries a failed PUT alone, and a failed signed-URL GET alone', async () => {
    let puts = 0;
    let gets = 0;
    const { scheduler, fake, client } = setup((call) =>
      (call.method === 'PUT' && puts++ === 0) || (call.method === 'GET' && gets++ === 0) ? { status: 503 } : undefined,
    );
    const { rec } = record(scheduler, client.dataset('ds_1').append(items as never, { asynchronous: true }));
    await advance(scheduler, 60_000);
    expect(fake.calls.map((c) => c.method)).to.deep.equal(['GET', 'GET', 'PUT', 'PUT', 'POST']);
    expect(fake.calls[0]!.path).to.equal(fake.calls[1]!.path);
    expect(rec.values).to.have.length(1);
  });

  it('stops at a permanent error without starting the job', async () => {
    const { scheduler, fake, client } = setup((call) => (call.method === 'PUT' ? { status: 403, body: 'signature expired' } : undefined));
    const { rec } = record(scheduler, client.dataset('ds_1').append(items as never, { asynchronous: true }));
    await advance(scheduler, 60_000);
    expect(fake.calls.map((c) => c.method)).to.deep.equal(['GET', 'PUT']);
    expect((rec.error as ApiError).status).to.equal(403);
  });

  it('validates on subscribe, before anything is sent', async () => {
    const { scheduler, fake, client } = setup();
    const ds = client.dataset('ds_1');
    const cases = [
      ds.append([], { asynchronous: true }),
      ds.append([items[0]!, items[0]!] as never, { asynchronous: true }),
      ds.append([{ reference_id: 'a', image_url: '/home/me/a.jpg' }], { asynchronous: true }),
      ds.annotate([annotations[0]!, annotations[0]!], { asynchronous: true }),
      ds.append(items as never, { asynchronous: false } as never),
      ds.append(items as never, undefined as never),
    ];
    for (const c of cases) {
      const { rec } = record(scheduler, c);
      expect(rec.error).to.be.instanceOf(ValidationError);
    }
    await advance(scheduler, 1000);
    expect(fake.calls).to.have.length(0);
  });

  it('refuses a wrongly-typed option or an entry that cannot be serialised before anything is sent', async () => {
    const { scheduler, fake, client } = setup();
    const ds = client.dataset('ds_1');
    const cycle: Record<string, unknown> = {};
    cycle['self'] = cycle;
    const cases: [string, ReturnType<typeof ds.append>, RegExp][] = [
      ['update "yes"', ds.append(items as never, { asynchronous: true, update: 'yes' } as never), /update must be true or false/],
      ['update 1', ds.annotate(annotations, { asynchronous: true, update: 1 } as never), /update must be true or false/],
      ['update null', ds.append(items as never, { asynchronous: true, update: null } as never), /update must be true or false/],
      ['asynchronous "true"', ds.append(items as never, { asynchronous: 'true' } as never), /asynchronous uploads only/],
      ['a BigInt', ds.append([items[0]!, { ...items[0]!, reference_id: 'x', metadata: { n: 1n } }] as never, { asynchronous: true }), /item 1 cannot be serialised/],
      ['a cycle', ds.annotate([annotations[0]!, { ...annotations[1]!, metadata: cycle }], { asynchronous: true }), /annotation 1 cannot be serialised/],
      ['NaN width', ds.append([{ ...items[0]!, width: NaN }] as never, { asynchronous: true }), /item 0 is malformed at width/],
      ['not an array', ds.append('abc' as never, { asynchronous: true }), /must be an array/],
    ];
    for (const [name, upload$, message] of cases) {
      const { rec } = record(scheduler, upload$);
      expect(rec.error, name).to.be.instanceOf(ValidationError);
      expect((rec.error as Error).message, name).to.match(message);
    }
    await advance(scheduler, 1000);
    expect(fake.calls).to.have.length(0);
  });

  it('aborts the upload in flight on unsubscribe, leaving no timer', async () => {
    const { scheduler, fake, client } = setup((call) => (call.method === 'PUT' ? 'hang' : undefined));
    const { sub } = record(scheduler, client.dataset('ds_1').append(items as never, { asynchronous: true }));
    await advance(scheduler, 10);
    expect(fake.calls.map((c) => c.method)).to.deep.equal(['GET', 'PUT']);
    sub.unsubscribe();
    expect(fake.calls[1]!.init.signal.aborted).to.equal(true);
    expect(scheduler.actions).to.have.length(0);
    await advance(scheduler, 300_000);
    expect(fake.calls).to.have.length(2);
  });

  it('decodes the signed URL and job answers', async () => {
    const { scheduler, client } = setup((call) => (call.method === 'POST' ? { body: { job_id: 'job_1' } } : undefined));
    const { rec } = record(scheduler, client.dataset('ds_1').append(items as never, { asynchronous: true }));
    await advance(scheduler, 0);
    expect((rec.error as Error).name).to.equal('DecodeError');
    expect((rec.error as Error).message).to.equal(
      'Answer of dataset/ds_1/append is malformed at job_last_known_status, job_type, job_creation_time',
    );
  });

  it('prints as its id and name only', () => {
    const { client } = setup();
    expect(JSON.parse(JSON.stringify(client.dataset('ds_1')))).to.deep.equal({ id: 'ds_1' });
  });
});
