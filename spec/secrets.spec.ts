/**
 * The API key must appear in no message, stack, toString, JSON or inspect output of any error the
 * library raises, even when the server or the network layer echoes it back.
 */
import { expect } from 'chai';
import { inspect } from 'node:util';
import { NucleusClient } from '../lib/nucleus-client.js';
import { base64Utf8 } from '../lib/http/credentials.js';
import { type JobError, isJobError } from '../lib/errors.js';
import { AsyncJob } from '../lib/async-job.js';
import { completeOrThrow } from '../lib/operators/complete-or-throw.js';
import { type Call, FakeFetch, KEY, type Outcome, advance, newScheduler, record } from './helpers/fake-fetch.js';
import { expectNoKey } from './support/no-secret.js';

const TOKEN = base64Utf8(`${KEY}:`);

async function errorOf(handler: (call: Call, i: number) => Outcome, run: (c: NucleusClient) => import('rxjs').Observable<unknown>, opts = {}) {
  const scheduler = newScheduler();
  const fake = new FakeFetch(scheduler, handler);
  const client = new NucleusClient({ apiKey: KEY, endpoint: 'https://api.example.test/v1/nucleus', fetch: fake.fetch, scheduler, retry: false, timeoutMs: 1000, ...opts });
  const { rec } = record(scheduler, run(client));
  await advance(scheduler, 10_000);
  return rec.error;
}

describe('secrets', () => {
  const echo = (call: Call) => `you sent ${call.header('authorization')} for key ${KEY}`;

  for (const status of [302, 400, 401, 403, 404, 409, 413, 422, 429, 500, 502, 503, 504, 520, 524]) {
    it(`an ApiError for ${status} whose body and request id echo the key does not carry it`, async () => {
      const e = await errorOf(
        (call) => ({ status, body: echo(call), headers: { 'x-request-id': `req ${TOKEN}`, 'retry-after': '1' } }),
        (c) => c.getStatus('job_1'),
      );
      expectNoKey(e, KEY, String(status));
      expect((e as Error).message).to.contain('***');
    });
  }

  it('a ConnectionError whose network error mentions the key keeps only a redacted cause', async () => {
    const e = await errorOf(
      (call) => new TypeError(`fetch failed`, { cause: new Error(`socket closed while sending ${call.header('authorization')}`) }),
      (c) => c.getInfo('job_1'),
    );
    expectNoKey(e, KEY, 'ConnectionError');
    expect(inspect(e)).to.contain('fetch failed');
  });

  it('a ConnectionError whose network error carries the header in a property (not its message)', async () => {
    const e = await errorOf(
      (call) =>
        Object.assign(new TypeError('fetch failed'), {
          request: { headers: { authorization: call.header('authorization') } },
          cause: Object.assign(new Error('socket hang up'), { sent: `key ${KEY}` }),
        }),
      (c) => c.getInfo('job_1'),
    );
    expectNoKey(e, KEY, 'ConnectionError');
    expect(inspect(e)).to.contain('fetch failed');
  });

  it('a RequestTimeoutError', async () => {
    expectNoKey(await errorOf(() => 'hang', (c) => c.listJobs()), KEY, 'RequestTimeoutError');
  });

  it('a DecodeError whose payload holds the key', async () => {
    const e = await errorOf(() => ({ body: { job_id: KEY, status: { key: KEY } } }), (c) => c.getStatus('job_1'));
    expectNoKey(e, KEY, 'DecodeError');
  });

  it('errors of the upload steps, the signed URL echoing the key', async () => {
    const e = await errorOf(
      (call) => (call.method === 'GET' ? { body: { signed_url: `https://bucket.test/up?token=${KEY}` } } : { status: 500, body: echo(call) }),
      (c) => c.dataset('ds_1').append([{ reference_id: 'a', image_url: 's3://b/a' }], { asynchronous: true }),
    );
    expectNoKey(e, KEY, 'upload');
  });

  it('ConfigurationErrors', () => {
    const attempts = [
      () => new NucleusClient({ apiKey: KEY, limitedAccessKey: KEY }),
      () => new NucleusClient({ apiKey: KEY, endpoint: `http://${encodeURIComponent(KEY)}.example.test` }),
      () => new NucleusClient({ apiKey: KEY, endpoint: `https://u:${encodeURIComponent(KEY)}@x.test` }),
      () => new NucleusClient({ apiKey: KEY, headers: { authorization: `Basic ${TOKEN}` } }),
    ];
    for (const attempt of attempts) {
      let caught: unknown;
      try {
        attempt();
      } catch (e) {
        caught = e;
      }
      expectNoKey(caught, KEY, String(caught));
    }
  });

  it('the objects a client hands out: its jobs, datasets, and a JobError reaching its job', async () => {
    const scheduler = newScheduler();
    const fake = new FakeFetch(scheduler, (call) =>
      call.path.endsWith('/errors') ? { body: ['{"error":"bad line"}'] } : { body: { job_id: 'job_1', status: 'Errored_User', message: 'failed' } },
    );
    const client = new NucleusClient({ apiKey: KEY, endpoint: 'https://api.example.test/v1/nucleus', fetch: fake.fetch, scheduler, retry: false });
    const job = new AsyncJob({ jobId: 'job_1', lastKnownStatus: 'Queued', jobType: 'uploadDatasetItems', createdAt: '2026-11-28T10:00:00Z' }, client, { scheduler });
    const { rec } = record(scheduler, job.pipe(completeOrThrow()));
    await advance(scheduler, 1000);
    expect(isJobError(rec.error)).to.equal(true);
    expect((rec.error as JobError).job).to.equal(job);
    for (const value of [job, client.dataset('ds_1'), rec.error]) {
      for (const text of [JSON.stringify(value), String(value), inspect(value, { showHidden: true, depth: Infinity }), inspect(value)]) {
        expect(text).not.to.contain(KEY);
        expect(text).not.to.contain(TOKEN);
      }
    }
  });
});
