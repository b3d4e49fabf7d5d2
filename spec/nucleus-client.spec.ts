import { expect } from 'chai';
import { inspect } from 'node:util';
import { firstValueFrom, from, merge } from 'rxjs';
import { AsyncJob } from '../lib/async-job.js';
import { DEFAULT_MAX_CONCURRENT_REQUESTS, NucleusClient } from '../lib/nucleus-client.js';
import { ConfigurationError, DecodeError, NotFoundError, ValidationError } from '../lib/errors.js';
import { base64Utf8 } from '../lib/http/credentials.js';
import type { JobApi } from '../lib/job-api.js';
import { type Call, FakeFetch, KEY, type Outcome, advance, newScheduler, record } from './helpers/fake-fetch.js';

const ENDPOINT = 'https://api.example.test/v1/nucleus';
const INFO = { job_id: 'job_1', job_last_known_status: 'Running', job_type: 'uploadAnnotations', job_creation_time: '2026-11-29T12:00:00Z' };
const DECODED = { jobId: 'job_1', lastKnownStatus: 'Running', jobType: 'uploadAnnotations', createdAt: '2026-11-29T12:00:00Z' };

function setup(handler: (call: Call, i: number) => Outcome) {
  const scheduler = newScheduler();
  const fake = new FakeFetch(scheduler, handler);
  const client = new NucleusClient({ apiKey: KEY, endpoint: ENDPOINT, fetch: fake.fetch, scheduler, retry: { random: () => 0.5 } });
  return { scheduler, fake, client };
}

describe('NucleusClient', () => {
  describe('options', () => {
    const saved = { key: process.env['NUCLEUS_API_KEY'], endpoint: process.env['NUCLEUS_ENDPOINT'] };
    afterEach(() => {
      for (const [name, v] of [['NUCLEUS_API_KEY', saved.key], ['NUCLEUS_ENDPOINT', saved.endpoint]] as const) {
        if (v === undefined) delete process.env[name];
        else process.env[name] = v;
      }
    });

    it('defaults to the public endpoint', () => {
      delete process.env['NUCLEUS_ENDPOINT'];
      expect(new NucleusClient({ apiKey: 'k' }).endpoint).to.equal('https://api.scale.com/v1/nucleus/');
    });

    it('reads NUCLEUS_API_KEY and NUCLEUS_ENDPOINT when not given', async () => {
      process.env['NUCLEUS_API_KEY'] = 'env-key';
      process.env['NUCLEUS_ENDPOINT'] = 'http://127.0.0.1:9/v1/nucleus';
      let auth: string | undefined;
      const client = new NucleusClient({
        fetch: async (_url, init) => {
          auth = init.headers['authorization'];
          return new Response(JSON.stringify(INFO));
        },
      });
      expect(client.endpoint).to.equal('http://127.0.0.1:9/v1/nucleus/');
      await firstValueFrom(client.getInfo('job_1'));
      expect(auth).to.equal(`Basic ${base64Utf8('env-key:')}`);
      expect(new NucleusClient({ limitedAccessKey: 'lk' }).endpoint).to.equal('http://127.0.0.1:9/v1/nucleus/');
    });

    it('refuses both keys, no key, and authentication headers among the extra headers', () => {
      delete process.env['NUCLEUS_API_KEY'];
      expect(() => new NucleusClient({ apiKey: 'a', limitedAccessKey: 'b' })).to.throw(ConfigurationError, /not both/);
      expect(() => new NucleusClient({})).to.throw(ConfigurationError, /No API key/);
      // An explicit empty key (an unset variable, often) is named as such, even with NUCLEUS_API_KEY set.
      process.env['NUCLEUS_API_KEY'] = 'from-env';
      expect(() => new NucleusClient({ limitedAccessKey: '' })).to.throw(ConfigurationError, /^limitedAccessKey is empty/);
      delete process.env['NUCLEUS_API_KEY'];
      expect(() => new NucleusClient({ apiKey: 'a', headers: { Authorization: 'Basic x' } })).to.throw(ConfigurationError);
      expect(() => new NucleusClient({ apiKey: 'a', headers: { 'X-Limited-Access-Key': 'x' } })).to.throw(ConfigurationError);
      expect(() => new NucleusClient({ apiKey: 'a', timeoutMs: 0 })).to.throw(ConfigurationError);
      expect(() => new NucleusClient({ apiKey: 'a', retry: { maxRetries: -1 } })).to.throw(ConfigurationError);
      for (const bad of [0, -1, 1.5, Number.NaN, '4' as unknown as number]) {
        expect(() => new NucleusClient({ apiKey: 'a', maxConcurrentRequests: bad }), String(bad)).to.throw(ConfigurationError, /maxConcurrentRequests/);
      }
      expect(() => new NucleusClient({ apiKey: 'a', maxConcurrentRequests: Infinity })).not.to.throw();
    });

    it('refuses extra headers that fetch would reject on every request, without repeating the value', () => {
      const bad: Record<string, string>[] = [
        { 'x-trace': 'a\r\nx-injected: 1' },
        { 'x-trace': 'nul\0' },
        { 'x-trace': 'clé€' },
        { 'x trace': 'VALUE9' },
        { 'x-tr\u00e9ce': 'VALUE9' },
        { '': 'VALUE9' },
        { 'x-trace': 5 as unknown as string },
      ];
      for (const headers of bad) {
        let error: unknown;
        try {
          new NucleusClient({ apiKey: 'a', headers });
        } catch (e) {
          error = e;
        }
        expect(error, JSON.stringify(headers)).to.be.instanceOf(ConfigurationError);
        expect((error as Error).message).to.match(/is not a valid HTTP header name and value$/);
        expect((error as Error).message).not.to.contain(String(Object.values(headers)[0]));
      }
      expect(() => new NucleusClient({ apiKey: 'a', headers: { "X-Trace_1.a!#$%&'*+^`|~": 'any text: é, "quotes"' } })).not.to.throw();
    });

    it('checks its polling defaults when made, not when a job has started on the server', async () => {
      expect(() => new NucleusClient({ apiKey: 'a', polling: { maxWait: -1 } })).to.throw(ConfigurationError, /^polling: maxWait must be/);
      expect(() => new NucleusClient({ apiKey: 'a', polling: { policy: 'fast' as unknown as () => number } })).to.throw(ConfigurationError, /^polling: policy/);
      expect(() => new NucleusClient({ apiKey: 'a', polling: { maxWait: Infinity, policy: () => 1 } })).not.to.throw();
    });

    it('sends none of the queued polls when a dashboard of watched jobs closes', async () => {
      const scheduler = newScheduler();
      const fake = new FakeFetch(scheduler, () => ({ body: { status: 'Running' }, delayMs: 100 }));
      const client = new NucleusClient({ apiKey: KEY, endpoint: ENDPOINT, fetch: fake.fetch, scheduler, maxConcurrentRequests: 5 });
      const jobs = Array.from({ length: 200 }, (_, i) => new AsyncJob({ ...DECODED, jobId: `job_${i}` }, client, client.polling));
      const sub = merge(...jobs).subscribe();
      await advance(scheduler, 50);
      expect(fake.calls).to.have.length(5);
      sub.unsubscribe();
      await advance(scheduler, 60_000);
      expect(fake.calls).to.have.length(5);
    });

    it("puts the polls of watched jobs behind the requests someone waits on (a job's status(), getInfo)", async () => {
      const scheduler = newScheduler();
      const fake = new FakeFetch(scheduler, () => ({ body: { ...INFO, status: 'Running' }, delayMs: 100 }));
      const client = new NucleusClient({ apiKey: KEY, endpoint: ENDPOINT, fetch: fake.fetch, scheduler, maxConcurrentRequests: 2 });
      const jobs = Array.from({ length: 20 }, (_, i) => new AsyncJob({ ...DECODED, jobId: `job_${i}` }, client, client.polling));
      const sub = merge(...jobs).subscribe();
      await advance(scheduler, 50);
      const clicked = new AsyncJob({ ...DECODED, jobId: 'clicked' }, client, client.polling);
      const status = record(scheduler, from(clicked.status())).rec;
      const info = record(scheduler, client.getInfo('info_1')).rec;
      await advance(scheduler, 150);
      // The two answers at 100 free two slots: both go to the requests made at 50, not to the polls.
      expect(fake.calls.slice(2, 4).map((c) => [c.path.replace(/.*\/job\//, ''), c.at])).to.deep.equal([
        ['clicked', 100],
        ['info_1/info', 100],
      ]);
      await advance(scheduler, 250);
      expect([status.completedAt, info.completedAt]).to.deep.equal([200, 200]);
      sub.unsubscribe();
    });

    it("puts a job's live errors$ fetches behind the requests someone waits on", async () => {
      const scheduler = newScheduler();
      const fake = new FakeFetch(scheduler, (c) => ({ body: c.path.endsWith('/errors') ? [] : { ...INFO, status: 'Running' }, delayMs: 100 }));
      const client = new NucleusClient({ apiKey: KEY, endpoint: ENDPOINT, fetch: fake.fetch, scheduler, maxConcurrentRequests: 1 });
      record(scheduler, client.getInfo('blocker'));
      const job = new AsyncJob(DECODED, client, client.polling);
      const live = record(scheduler, job.errors$({ live: true }));
      await advance(scheduler, 50);
      record(scheduler, client.getInfo('clicked'));
      await advance(scheduler, 350);
      expect(fake.calls.map((c) => c.path.replace(/.*\/job\//, ''))).to.deep.equal(['blocker/info', 'clicked/info', 'job_1', 'job_1/errors']);
      live.sub.unsubscribe();
    });

    it(`has at most ${DEFAULT_MAX_CONCURRENT_REQUESTS} requests in flight by default, and maxConcurrentRequests sets the cap`, async () => {
      for (const [cap, expected] of [
        [undefined, DEFAULT_MAX_CONCURRENT_REQUESTS],
        [3, 3],
        [Infinity, 100],
      ] as const) {
        const scheduler = newScheduler();
        const fake = new FakeFetch(scheduler, () => ({ body: { status: 'Running' }, delayMs: 100 }));
        const client = new NucleusClient({ apiKey: KEY, endpoint: ENDPOINT, fetch: fake.fetch, scheduler, maxConcurrentRequests: cap });
        const recs = Array.from({ length: 100 }, (_, i) => record(scheduler, client.getStatus(`job_${i}`)).rec);
        await advance(scheduler, 0);
        expect(fake.calls, String(cap)).to.have.length(expected);
        await advance(scheduler, 10_000);
        expect(fake.calls, String(cap)).to.have.length(100);
        expect(recs.every((r) => r.completedAt !== undefined)).to.equal(true);
      }
    });

    it('refuses plain http to a non-loopback host unless allowInsecureHttp', () => {
      expect(() => new NucleusClient({ apiKey: KEY, endpoint: 'http://api.example.test/v1/nucleus' })).to.throw(ConfigurationError, /plain http/);
      expect(new NucleusClient({ apiKey: KEY, endpoint: 'http://api.example.test/v1/nucleus', allowInsecureHttp: true }).endpoint).to.equal(
        'http://api.example.test/v1/nucleus/',
      );
      for (const loopback of ['http://127.0.0.1:4010', 'http://localhost:4010', 'http://[::1]:4010']) {
        expect(() => new NucleusClient({ apiKey: KEY, endpoint: loopback }), loopback).not.to.throw();
      }
    });
  });

  describe('JobApi', () => {
    it('getStatus, getErrors and getInfo GET their routes and decode', async () => {
      const { scheduler, fake, client } = setup((call) => {
        if (call.path.endsWith('/errors')) return { body: ['{"error":"x"}'] };
        if (call.path.endsWith('/info')) return { body: INFO };
        return { body: { job_id: 'job_1', status: 'Running', job_progress: '0.33', completed_steps: '1', 'total_steps:': '3' } };
      });
      const api: JobApi = client;
      const s = record(scheduler, api.getStatus('job_1')).rec;
      const e = record(scheduler, api.getErrors('job_1')).rec;
      const i = record(scheduler, api.getInfo('job_1')).rec;
      await advance(scheduler, 0);
      expect(fake.calls.map((c) => `${c.method} ${c.path}`)).to.deep.equal([
        'GET /v1/nucleus/job/job_1',
        'GET /v1/nucleus/job/job_1/errors',
        'GET /v1/nucleus/job/job_1/info',
      ]);
      expect(s.values[0]).to.include({ status: 'Running', progress: 0.33, completedSteps: 1, totalSteps: 3 });
      expect(e.values).to.deep.equal([['{"error":"x"}']]);
      expect(i.values).to.deep.equal([DECODED]);
    });

    it('encodes job ids in routes and refuses empty ones', async () => {
      const { scheduler, fake, client } = setup(() => ({ body: INFO }));
      record(scheduler, client.getInfo('a/b?c'));
      const { rec } = record(scheduler, client.getStatus(''));
      await advance(scheduler, 0);
      expect(fake.calls[0]!.path).to.equal('/v1/nucleus/job/a%2Fb%3Fc/info');
      expect(rec.error).to.be.instanceOf(ValidationError);
    });

    it('refuses the ids "." and ".." (which would call another route) before sending', async () => {
      const { scheduler, fake, client } = setup(() => ({ body: INFO }));
      const errors = ['..', '.'].map((id) => record(scheduler, client.getInfo(id)).rec);
      const upload = record(scheduler, client.dataset('..').append([{ reference_id: 'a', image_url: 's3://b/a.jpg' }], { asynchronous: true })).rec;
      await advance(scheduler, 0);
      for (const rec of [...errors, upload]) expect(rec.error).to.be.instanceOf(ValidationError);
      expect(fake.calls).to.have.length(0);
    });

    it('redacts the key from a status message that echoes it JSON-escaped', async () => {
      const key = 'k"\\é';
      const scheduler = newScheduler();
      const fake = new FakeFetch(scheduler, () => ({ body: `{"job_id":"job_1","status":"Running","message":{"detail":"bad key k\\"\\\\\\u00e9"}}` }));
      const client = new NucleusClient({ apiKey: key, endpoint: ENDPOINT, fetch: fake.fetch, scheduler });
      const { rec } = record(scheduler, client.getStatus('job_1'));
      await advance(scheduler, 0);
      expect(rec.values[0]!.message).to.deep.equal({ detail: 'bad key ***' });
    });
  });

  describe('jobs', () => {
    it('getJob rebuilds a job from its id', async () => {
      const { scheduler, fake, client } = setup(() => ({ body: INFO }));
      const { rec } = record(scheduler, client.getJob('job_1'));
      await advance(scheduler, 0);
      expect(fake.calls[0]!.path).to.equal('/v1/nucleus/job/job_1/info');
      expect(rec.values).to.have.length(1);
      const job = rec.values[0] as AsyncJob;
      expect(job).to.be.instanceOf(AsyncJob);
      expect(job.toJSON()).to.deep.equal(DECODED);
    });

    it('hands its polling defaults to the jobs it returns', async () => {
      const scheduler = newScheduler();
      const fake = new FakeFetch(scheduler, () => ({ body: INFO }));
      const policy = () => 1234;
      const client = new NucleusClient({ apiKey: KEY, endpoint: ENDPOINT, fetch: fake.fetch, scheduler, polling: { policy } });
      const { rec } = record(scheduler, client.getJob('job_1'));
      await advance(scheduler, 0);
      const job = rec.values[0] as AsyncJob;
      expect(job.policy).to.equal(policy);
      expect(job.scheduler).to.equal(scheduler);
    });

    it('getJob fails with NotFoundError for an unknown id', async () => {
      const { scheduler, client } = setup(() => ({ status: 404, body: 'no such job' }));
      const { rec } = record(scheduler, client.getJob('job_x'));
      await advance(scheduler, 0);
      expect(rec.error).to.be.instanceOf(NotFoundError);
    });

    it('listJobs POSTs the filters in the wire format and emits one decoded array', async () => {
      const { scheduler, fake, client } = setup(() => ({ body: [INFO, { ...INFO, job_id: 'job_2' }] }));
      const { rec } = record(
        scheduler,
        client.listJobs({
          showCompleted: true,
          fromDate: new Date('2026-11-01T00:00:00Z'),
          toDate: '2026-11-30',
          jobTypes: ['uploadAnnotations'],
          limit: 10,
          datasetId: 'ds_1',
        }),
      );
      await advance(scheduler, 0);
      expect(fake.calls[0]!.method).to.equal('POST');
      expect(fake.calls[0]!.path).to.equal('/v1/nucleus/jobs/');
      expect(JSON.parse(fake.calls[0]!.body!)).to.deep.equal({
        dataset_id: 'ds_1',
        job_types: ['uploadAnnotations'],
        from_date: '2026-11-01T00:00:00.000Z',
        to_date: '2026-11-30',
        limit: 10,
        show_completed: true,
      });
      const [jobs] = rec.values as (readonly AsyncJob[])[];
      expect(jobs!.every((j) => j instanceof AsyncJob)).to.equal(true);
      expect(jobs!.map((j) => j.toJSON())).to.deep.equal([DECODED, { ...DECODED, jobId: 'job_2' }]);
    });

    it('listJobs has the Python defaults and refuses bad limits and dates before sending', async () => {
      const { scheduler, fake, client } = setup(() => ({ body: [] }));
      record(scheduler, client.listJobs());
      await advance(scheduler, 0);
      expect(JSON.parse(fake.calls[0]!.body!)).to.deep.equal({
        dataset_id: null,
        job_types: [],
        from_date: null,
        to_date: null,
        limit: 50_000,
        show_completed: false,
      });
      for (const bad of [{ limit: 0 }, { limit: 50_001 }, { limit: 1.5 }, { fromDate: 'yesterday' }, { toDate: new Date(NaN) }]) {
        expect(record(scheduler, client.listJobs(bad)).rec.error, JSON.stringify(bad)).to.be.instanceOf(ValidationError);
      }
      expect(fake.calls).to.have.length(1);
    });

    it('listJobs refuses job types that are not an array of strings before sending, rather than spreading a string', async () => {
      const { scheduler, fake, client } = setup(() => ({ body: [] }));
      for (const jobTypes of ['uploadAnnotations', ['uploadAnnotations', 7], { 0: 'uploadAnnotations', length: 1 }, null]) {
        const { rec } = record(scheduler, client.listJobs({ jobTypes } as never));
        expect(rec.error, JSON.stringify(jobTypes)).to.be.instanceOf(ValidationError);
        expect((rec.error as Error).message).to.match(/jobTypes must be an array of strings/);
      }
      await advance(scheduler, 0);
      expect(fake.calls).to.have.length(0);
    });

    it('listJobs retries transient failures (it is a read)', async () => {
      const { scheduler, fake, client } = setup((_, i) => (i === 0 ? { status: 500 } : { body: [] }));
      const { rec } = record(scheduler, client.listJobs());
      await advance(scheduler, 1000);
      expect(fake.calls).to.have.length(2);
      expect(rec.values).to.deep.equal([[]]);
    });

    it('a malformed list is a DecodeError naming the index and field', async () => {
      const { scheduler, client } = setup(() => ({ body: [INFO, { ...INFO, job_type: 7 }] }));
      const { rec } = record(scheduler, client.listJobs());
      await advance(scheduler, 0);
      expect((rec.error as Error).message).to.equal('Answer of jobs/ is malformed at [1].job_type');
    });
  });

  describe('createDataset', () => {
    it('POSTs dataset/create and emits a handle', async () => {
      const { scheduler, fake, client } = setup(() => ({ body: { dataset_id: 'ds_9' } }));
      const { rec } = record(scheduler, client.createDataset({ name: 'cars', usePrivacyMode: true }));
      await advance(scheduler, 0);
      expect(fake.calls[0]!.path).to.equal('/v1/nucleus/dataset/create');
      expect(JSON.parse(fake.calls[0]!.body!)).to.deep.equal({ name: 'cars', is_scene: false, use_privacy_mode: true });
      expect(rec.values.map((d) => [d.id, d.name])).to.deep.equal([['ds_9', 'cars']]);
    });

    it('is resent after 503 but not after 500 or a lost connection, so no second dataset', async () => {
      const a = setup((_, i) => (i === 0 ? { status: 503 } : { body: { dataset_id: 'ds_9' } }));
      record(a.scheduler, a.client.createDataset({ name: 'cars' }));
      await advance(a.scheduler, 10_000);
      expect(a.fake.calls).to.have.length(2);
      const b = setup((_, i) => (i === 0 ? { status: 500 } : { body: { dataset_id: 'ds_9' } }));
      const { rec } = record(b.scheduler, b.client.createDataset({ name: 'cars' }));
      await advance(b.scheduler, 10_000);
      expect(b.fake.calls).to.have.length(1);
      expect((rec.error as Error).name).to.equal('ServerError');
    });

    it('refuses an empty name before sending', () => {
      const { scheduler, fake, client } = setup(() => ({ body: {} }));
      expect(record(scheduler, client.createDataset({ name: ' ' })).rec.error).to.be.instanceOf(ValidationError);
      expect(fake.calls).to.have.length(0);
      expect(() => client.dataset('')).to.throw(ValidationError);
    });
  });

  describe('malformed answers', () => {
    const cases: [string, (c: NucleusClient) => import('rxjs').Observable<unknown>, unknown, string, string[]][] = [
      ['getStatus: no status', (c) => c.getStatus('j'), { job_id: 'j', job_progress: '0.1' }, 'job/j', ['status']],
      ['getStatus: progress not numeric', (c) => c.getStatus('j'), { status: 'Running', job_progress: 'half' }, 'job/j', ['job_progress']],
      ['getStatus: message a number', (c) => c.getStatus('j'), { status: 'Running', message: 3 }, 'job/j', ['message']],
      ['getStatus: not an object', (c) => c.getStatus('j'), '"Running"', 'job/j', ['(root)']],
      ['getErrors: not strings', (c) => c.getErrors('j'), ['ok', { error: 'x' }], 'job/j/errors', ['[1]']],
      ['getErrors: an object', (c) => c.getErrors('j'), { errors: [] }, 'job/j/errors', ['(root)']],
      ['getInfo: missing fields', (c) => c.getInfo('j'), { job_id: 'j' }, 'job/j/info', ['job_last_known_status', 'job_type', 'job_creation_time']],
      ['getJob: status not a string', (c) => c.getJob('j'), { ...INFO, job_last_known_status: null }, 'job/j/info', ['job_last_known_status']],
      ['listJobs: not an array', (c) => c.listJobs(), { jobs: [] }, 'jobs/', ['(root)']],
      ['createDataset: no dataset_id', (c) => c.createDataset({ name: 'n' }), { id: 'ds_1' }, 'dataset/create', ['dataset_id']],
      ['append: signed URL missing', (c) => c.dataset('ds').append([{ reference_id: 'a', image_url: 's3://b/a' }], { asynchronous: true }), {}, 'dataset/ds/signedUrl/ID', ['signed_url']],
    ];
    for (const [name, run, body, route, paths] of cases) {
      it(`${name} -> DecodeError at ${paths.join(', ')}`, async () => {
        const { scheduler, fake, client } = setup(() => ({ body: body as object }));
        const { rec } = record(scheduler, run(client));
        await advance(scheduler, 60_000);
        expect(fake.calls, 'not retried').to.have.length(1);
        const e = rec.error as DecodeError;
        expect(e).to.be.instanceOf(DecodeError);
        expect(e.route.replace(/[0-9a-f]{32}$/, 'ID')).to.equal(route);
        expect(e.paths).to.deep.equal(paths);
      });
    }
  });

  it('prints without the key', () => {
    const { client } = setup(() => ({ body: {} }));
    const token = base64Utf8(`${KEY}:`);
    for (const text of [JSON.stringify(client), inspect(client, { showHidden: true, depth: Infinity }), String(client), JSON.stringify(client.dataset('d'))]) {
      expect(text).not.to.contain(KEY);
      expect(text).not.to.contain(token);
    }
    expect(JSON.parse(JSON.stringify(client))).to.deep.equal({ endpoint: `${ENDPOINT}/`, auth: { scheme: 'basic', key: '***' } });
    expect(inspect(client)).to.equal(`NucleusClient { endpoint: '${ENDPOINT}/', auth: basic (***) }`);
  });
});
