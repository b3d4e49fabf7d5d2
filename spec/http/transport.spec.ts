import { expect } from 'chai';
import { inspect } from 'node:util';
import { type Subscription, config, forkJoin, merge } from 'rxjs';
import * as t from 'io-ts';
import { JobStatus } from '../../lib/codecs/job.js';
import {
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  DecodeError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  RequestTimeoutError,
  ServerError,
  UnprocessableEntityError,
  ValidationError,
  isConnectionError,
} from '../../lib/errors.js';
import { Credentials, base64Utf8 } from '../../lib/http/credentials.js';
import { parseEndpoint } from '../../lib/http/endpoint.js';
import { DEFAULT_RETRY_OPTIONS, type RetryOptions } from '../../lib/http/retry-policy.js';
import { type ApiRequest, type RetryMode, Transport, route } from '../../lib/http/transport.js';
import { FakeFetch, KEY, type Outcome, advance, newScheduler, record } from '../helpers/fake-fetch.js';

const LIMITED_KEY = 'limited_KEY_1';
const STATUS = { job_id: 'job_1', status: 'Running', job_progress: '0.5' };
// random() = 0.5 makes the jitter factor exactly 1: delays 1000, 3000, 9000, 27000.
const RETRY: RetryOptions = { ...DEFAULT_RETRY_OPTIONS, random: () => 0.5 };

function setup(handler: (call: import('../helpers/fake-fetch.js').Call, i: number) => Outcome, opts: { retry?: RetryOptions; timeoutMs?: number; limited?: boolean; maxConcurrentRequests?: number } = {}) {
  const scheduler = newScheduler();
  const fake = new FakeFetch(scheduler, handler);
  const transport = new Transport({
    credentials: Credentials.of(opts.limited ? { limitedAccessKey: LIMITED_KEY } : { apiKey: KEY }),
    endpoint: parseEndpoint('https://api.example.test/v1/nucleus', false),
    fetch: fake.fetch,
    headers: { 'x-trace': 'yes' },
    retry: opts.retry ?? RETRY,
    timeoutMs: opts.timeoutMs ?? 60_000,
    maxConcurrentRequests: opts.maxConcurrentRequests ?? Infinity,
    scheduler,
    allowInsecureHttp: false,
  });
  return { scheduler, fake, transport };
}

const getStatus = (retry: RetryMode = 'idempotent'): ApiRequest<JobStatus> => ({ method: 'GET', route: 'job/job_1', codec: JobStatus, retry });

describe('Transport', () => {
  it('sends an authenticated GET under the endpoint and decodes the answer', async () => {
    const { scheduler, fake, transport } = setup(() => ({ body: STATUS }));
    const { rec } = record(scheduler, transport.request$(getStatus()));
    await advance(scheduler, 0);
    expect(rec.values).to.have.length(1);
    expect(rec.values[0]!.progress).to.equal(0.5);
    expect(rec.completedAt).to.equal(0);
    expect(fake.calls).to.have.length(1);
    const call = fake.calls[0]!;
    expect(call.url).to.equal('https://api.example.test/v1/nucleus/job/job_1');
    expect(call.header('authorization')).to.equal(`Basic ${base64Utf8(`${KEY}:`)}`);
    expect(call.header('x-limited-access-key')).to.equal(undefined);
    expect(call.header('x-trace')).to.equal('yes');
    expect(call.init.redirect).to.equal('manual');
  });

  it('sends the limited access key as x-limited-access-key and no Basic auth', async () => {
    const { scheduler, fake, transport } = setup(() => ({ body: STATUS }), { limited: true });
    record(scheduler, transport.request$(getStatus()));
    await advance(scheduler, 0);
    expect(fake.calls[0]!.header('x-limited-access-key')).to.equal(LIMITED_KEY);
    expect(fake.calls[0]!.header('authorization')).to.equal(undefined);
  });

  it('sends a JSON body and the query string, and keeps the query out of error routes', async () => {
    const { scheduler, fake, transport } = setup(() => ({ status: 404, body: 'nope' }));
    const { rec } = record(
      scheduler,
      transport.request$({ method: 'POST', route: 'dataset/ds_1/append', query: { async: '1' }, body: { requestId: 'r' }, codec: t.unknown, retry: 'idempotent' }),
    );
    await advance(scheduler, 0);
    expect(fake.calls[0]!.path).to.equal('/v1/nucleus/dataset/ds_1/append?async=1');
    expect(fake.calls[0]!.body).to.equal('{"requestId":"r"}');
    expect(fake.calls[0]!.header('content-type')).to.equal('application/json');
    expect((rec.error as ApiError).route).to.equal('dataset/ds_1/append');
    expect((rec.error as ApiError).message).to.equal('POST dataset/ds_1/append answered 404: nope');
  });

  for (const status of [429, 500, 502, 503, 504, 520, 524]) {
    it(`retries ${status} after the backoff delay and succeeds`, async () => {
      const { scheduler, fake, transport } = setup((_, i) => (i === 0 ? { status, body: 'busy' } : { body: STATUS }));
      const { rec } = record(scheduler, transport.request$(getStatus()));
      await advance(scheduler, 999);
      expect(fake.calls).to.have.length(1);
      expect(rec.values).to.have.length(0);
      await advance(scheduler, 1000);
      expect(fake.calls.map((c) => c.at)).to.deep.equal([0, 1000]);
      expect(rec.values).to.have.length(1);
      expect(rec.completedAt).to.equal(1000);
      expect(scheduler.actions).to.have.length(0);
    });
  }

  const permanent: [number, new (...a: never[]) => ApiError][] = [
    [400, BadRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [409, ConflictError],
    [422, UnprocessableEntityError],
  ];
  for (const [status, cls] of permanent) {
    it(`fails at once on ${status} with ${cls.name}, carrying method, route, request id and excerpt`, async () => {
      const { scheduler, fake, transport } = setup(() => ({ status, body: { error: 'bad\nthing' }, headers: { 'x-request-id': 'req-9' } }));
      const { rec } = record(scheduler, transport.request$(getStatus()));
      await advance(scheduler, 100_000);
      expect(fake.calls).to.have.length(1);
      expect(rec.error).to.be.instanceOf(cls);
      const e = rec.error as ApiError;
      expect(e.status).to.equal(status);
      expect(e.method).to.equal('GET');
      expect(e.route).to.equal('job/job_1');
      expect(e.requestId).to.equal('req-9');
      expect(e.bodyExcerpt).to.equal('{"error":"bad\\nthing"}');
      expect(rec.errorAt).to.equal(0);
    });
  }

  it('gives up after maxRetries with the last error, waiting 1 s, 3 s, 9 s, 27 s', async () => {
    const { scheduler, fake, transport } = setup(() => ({ status: 503, body: 'down' }));
    const { rec } = record(scheduler, transport.request$(getStatus()));
    await advance(scheduler, 100_000);
    expect(fake.calls.map((c) => c.at)).to.deep.equal([0, 1000, 4000, 13_000, 40_000]);
    expect(rec.error).to.be.instanceOf(ServerError);
    expect(rec.errorAt).to.equal(40_000);
  });

  it('caps the backoff at maxDelayMs and jitters it with random()', async () => {
    const { scheduler, fake, transport } = setup(() => ({ status: 500 }), {
      retry: { ...DEFAULT_RETRY_OPTIONS, maxRetries: 3, initialDelayMs: 1000, factor: 10, maxDelayMs: 5000, random: () => 0 },
    });
    record(scheduler, transport.request$(getStatus()));
    await advance(scheduler, 100_000);
    // 1000*0.5, min(5000, 10000*0.5), min(5000, 100000*0.5)
    expect(fake.calls.map((c) => c.at)).to.deep.equal([0, 500, 5500, 10_500]);
  });

  it('retries network errors and ends with a ConnectionError keeping the cause', async () => {
    const { scheduler, fake, transport } = setup(() => new TypeError('fetch failed'), { retry: { ...RETRY, maxRetries: 1 } });
    const { rec } = record(scheduler, transport.request$(getStatus()));
    await advance(scheduler, 10_000);
    expect(fake.calls.map((c) => c.at)).to.deep.equal([0, 1000]);
    expect(isConnectionError(rec.error)).to.equal(true);
    expect((rec.error as ConnectionError).message).to.equal('GET job/job_1 failed: no answer from the server');
    expect((rec.error as Error & { cause: Error }).cause.message).to.equal('fetch failed');
  });

  it('keeps a network error as the cause when all of it is free of the key (same object, causes included)', async () => {
    const boom = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', port: 443 }) });
    const { scheduler, transport } = setup(() => boom, { retry: { ...RETRY, maxRetries: 0 } });
    const { rec } = record(scheduler, transport.request$(getStatus()));
    await advance(scheduler, 10_000);
    expect((rec.error as ConnectionError).cause).to.equal(boom);
  });

  it('replaces a cause holding the Request, its Headers or a Map with the key by a redacted copy of its primitive fields', async () => {
    const token = base64Utf8(`${KEY}:`);
    const holders: [string, (url: string, headers: Record<string, string>) => unknown][] = [
      ['a Request', (url, headers) => new Request(url, { headers })],
      ['Headers', (_url, headers) => new Headers(headers)],
      ['a Map', (_url, headers) => new Map(Object.entries(headers))],
      ['a nested cause', (_url, headers) => ({ config: { headers } })],
    ];
    for (const [label, hold] of holders) {
      const { scheduler, transport } = setup((call) => {
        // Like ky's TimeoutError: the rejection carries what it was sending.
        const e = Object.assign(new Error('Request timed out'), { name: 'TimeoutError', code: 'ETIMEDOUT', request: hold(call.url, call.init.headers) });
        return label === 'a nested cause' ? new TypeError('fetch failed', { cause: e }) : e;
      }, { retry: { ...RETRY, maxRetries: 0 } });
      const { rec } = record(scheduler, transport.request$(getStatus()));
      await advance(scheduler, 10_000);
      const error = rec.error as ConnectionError;
      for (const text of [inspect(error, { depth: Infinity, showHidden: true }), JSON.stringify(error), String(error.stack)]) {
        expect(text, label).not.to.contain(token);
        expect(text, label).not.to.contain(KEY);
      }
      let cause = error.cause as Error & { code?: string; request?: unknown };
      if (label === 'a nested cause') {
        expect(cause.message, label).to.equal('fetch failed');
        cause = cause.cause as typeof cause;
      }
      expect([cause.name, cause.message, cause.code, cause.request], label).to.deep.equal(['TimeoutError', 'Request timed out', 'ETIMEDOUT', undefined]);
    }
  });

  it('copies a cause whose key hides where only inspect looks: a message getter, an inherited cause, a function, a custom inspect, an AggregateError', async () => {
    const token = base64Utf8(`${KEY}:`);
    class Wrapped extends Error {
      readonly #request: unknown;
      constructor(request: unknown) {
        super('wrapped');
        this.#request = request;
      }
      override get cause(): unknown {
        return this.#request;
      }
    }
    const makers: [string, (auth: string) => unknown][] = [
      ['a DOMException', (auth) => new DOMException(`denied for ${auth}`, 'NetworkError')],
      [
        'a message getter that its stack does not repeat',
        (auth) => {
          const e = new (class extends Error {
            override get message(): string {
              return `denied for ${auth}`;
            }
          })();
          e.stack = 'Error: (no message here)';
          return e;
        },
      ],
      ['an inherited cause getter', (auth) => new Wrapped({ authorization: auth })],
      ['a function with fields', (auth) => Object.assign(new Error('x'), { hook: Object.assign(() => undefined, { auth }) })],
      ['a custom inspect', (auth) => Object.assign(new Error('x'), { [Symbol.for('nodejs.util.inspect.custom')]: () => auth })],
      ['an AggregateError', (auth) => new AggregateError([new Error(`connect ${auth}`)], 'all attempts failed')],
    ];
    for (const [label, make] of makers) {
      const { scheduler, transport } = setup((call) => make(call.init.headers['authorization']!) as Error, { retry: { ...RETRY, maxRetries: 0 } });
      const { rec } = record(scheduler, transport.request$(getStatus()));
      await advance(scheduler, 10_000);
      expect(isConnectionError(rec.error), label).to.equal(true);
      const texts = [inspect(rec.error, { depth: Infinity, showHidden: true })];
      for (let c = (rec.error as Error).cause; c !== undefined; c = (c as Error).cause) texts.push(String(c), String((c as Error).message));
      for (const text of texts) expect(text, label).not.to.contain(token);
    }
  });

  it('keeps an AggregateError of clean attempts (happy eyeballs) as it is', async () => {
    const boom = new TypeError('fetch failed', { cause: new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:443'), { code: 'ECONNREFUSED' })], 'all failed') });
    const { scheduler, transport } = setup(() => boom, { retry: { ...RETRY, maxRetries: 0 } });
    const { rec } = record(scheduler, transport.request$(getStatus()));
    await advance(scheduler, 10_000);
    expect((rec.error as ConnectionError).cause).to.equal(boom);
  });

  it('still fails with a ConnectionError when the network error cannot even be read (a Proxy whose traps throw)', async () => {
    const hostile = new Proxy(new Error('x'), {
      ownKeys() {
        throw new Error('trap');
      },
      get(target, key) {
        if (key === 'message' || key === 'name') throw new Error('trap');
        return Reflect.get(target, key);
      },
    });
    const { scheduler, transport } = setup(() => hostile, { retry: { ...RETRY, maxRetries: 0 } });
    const { rec } = record(scheduler, transport.request$(getStatus()));
    await advance(scheduler, 10_000);
    expect(isConnectionError(rec.error)).to.equal(true);
    expect((rec.error as ConnectionError).cause).to.be.instanceOf(Error);
  });

  it('route() refuses a segment "." or ".." (URLs resolve them, percent-encoded or not)', () => {
    for (const id of ['.', '..']) expect(() => route('job', id, 'info'), id).to.throw(ValidationError, `An id cannot be "${id}"`);
    expect(new URL(`https://h.test/v1/job/${encodeURIComponent('..')}/info`).pathname).to.equal('/v1/info');
    expect(new URL('https://h.test/v1/job/%2E%2E/info').pathname).to.equal('/v1/info');
    expect(route('job', '...', 'a.b', 'x/y')).to.equal('job/.../a.b/x%2Fy');
  });

  it('honours Retry-After in seconds', async () => {
    const { scheduler, fake, transport } = setup((_, i) => (i === 0 ? { status: 429, headers: { 'retry-after': '7' } } : { body: STATUS }));
    const { rec } = record(scheduler, transport.request$(getStatus()));
    await advance(scheduler, 6999);
    expect(fake.calls).to.have.length(1);
    await advance(scheduler, 7000);
    expect(fake.calls.map((c) => c.at)).to.deep.equal([0, 7000]);
    expect(rec.values).to.have.length(1);
  });

  it('honours Retry-After as an HTTP date, relative to the scheduler clock', async () => {
    const { scheduler, fake, transport } = setup((_, i) =>
      i === 0 ? { status: 503, delayMs: 1000, headers: { 'retry-after': 'Thu, 01 Jan 1970 00:00:05 GMT' } } : { body: STATUS },
    );
    const { rec } = record(scheduler, transport.request$(getStatus()));
    await advance(scheduler, 10_000);
    // answered at 1000, asked to come back at 5000
    expect(fake.calls.map((c) => c.at)).to.deep.equal([0, 5000]);
    expect(rec.completedAt).to.equal(5000);
  });

  it('does not wait for a Retry-After beyond maxRetryAfterMs: fails with retryAfterMs', async () => {
    const { scheduler, fake, transport } = setup(() => ({ status: 429, headers: { 'retry-after': '3600' } }));
    const { rec } = record(scheduler, transport.request$(getStatus()));
    await advance(scheduler, 10_000);
    expect(fake.calls).to.have.length(1);
    expect(rec.error).to.be.instanceOf(RateLimitError);
    expect((rec.error as RateLimitError).retryAfterMs).to.equal(3_600_000);
  });

  it('times out a request that gets no answer, aborting it and leaving no timer', async () => {
    const { scheduler, fake, transport } = setup(() => 'hang', { timeoutMs: 5000, retry: { ...RETRY, maxRetries: 0 } });
    const { rec } = record(scheduler, transport.request$(getStatus()));
    await advance(scheduler, 4999);
    expect(rec.error).to.equal(undefined);
    expect(fake.calls[0]!.init.signal.aborted).to.equal(false);
    await advance(scheduler, 5000);
    expect(rec.error).to.be.instanceOf(RequestTimeoutError);
    expect((rec.error as RequestTimeoutError).timeoutMs).to.equal(5000);
    expect(rec.errorAt).to.equal(5000);
    expect(fake.calls[0]!.init.signal.aborted).to.equal(true);
    expect(scheduler.actions).to.have.length(0);
  });

  it('never hands a timer more than setTimeout can wait (larger delays fire at once in Node and browsers)', async () => {
    const huge = 3_000_000_000;
    const { scheduler, transport } = setup(
      (_call, i) => (i === 0 ? { status: 503, body: 'busy', headers: { 'retry-after': String(huge / 1000) } } : 'hang'),
      { timeoutMs: huge, retry: { ...RETRY, maxRetryAfterMs: Infinity, maxDelayMs: Infinity } },
    );
    record(scheduler, transport.request$(getStatus()));
    // The first attempt's timeout timer...
    expect(Math.max(...scheduler.actions.map((a) => a.delay))).to.equal(2_147_483_647);
    await advance(scheduler, 0);
    // ...then, after the 503, the wait for its Retry-After.
    expect(scheduler.actions.map((a) => a.delay)).to.deep.equal([2_147_483_647]);
  });

  it('counts a body that arrives too late as a timeout, and retries timeouts as transient', async () => {
    const { scheduler, fake, transport } = setup((_, i) => (i === 0 ? { body: STATUS, delayMs: 6000 } : { body: STATUS, delayMs: 10 }), {
      timeoutMs: 5000,
    });
    const { rec } = record(scheduler, transport.request$(getStatus()));
    await advance(scheduler, 60_000);
    expect(fake.calls.map((c) => c.at)).to.deep.equal([0, 6000]);
    expect(rec.values).to.have.length(1);
    expect(rec.completedAt).to.equal(6010);
    expect(scheduler.actions).to.have.length(0);
  });

  it('aborts the fetch on unsubscribe and leaves no timer', async () => {
    const { scheduler, fake, transport } = setup(() => 'hang');
    const { rec, sub } = record(scheduler, transport.request$(getStatus()));
    await advance(scheduler, 100);
    expect(scheduler.actions).to.have.length(1); // the timeout
    sub.unsubscribe();
    expect(fake.calls[0]!.init.signal.aborted).to.equal(true);
    expect(scheduler.actions).to.have.length(0);
    await advance(scheduler, 200_000);
    expect(rec).to.deep.equal({ values: [], error: undefined, errorAt: undefined, completedAt: undefined });
    expect(fake.calls).to.have.length(1);
  });

  it('cancels a pending retry on unsubscribe: no further request, no timer', async () => {
    const { scheduler, fake, transport } = setup(() => ({ status: 503 }));
    const { sub } = record(scheduler, transport.request$(getStatus()));
    await advance(scheduler, 500);
    expect(scheduler.actions).to.have.length(1); // the backoff
    sub.unsubscribe();
    expect(scheduler.actions).to.have.length(0);
    await advance(scheduler, 200_000);
    expect(fake.calls).to.have.length(1);
  });

  it('does not abort a request that already finished', async () => {
    const { scheduler, fake, transport } = setup(() => ({ body: STATUS }));
    const { sub } = record(scheduler, transport.request$(getStatus()));
    await advance(scheduler, 0);
    sub.unsubscribe();
    expect(fake.calls[0]!.init.signal.aborted).to.equal(false);
  });

  it("retries a non-idempotent request ('refused') only on 429 and 503", async () => {
    for (const [outcome, calls] of [
      [{ status: 503 }, 2],
      [{ status: 429 }, 2],
      [{ status: 500 }, 1],
      [{ status: 502 }, 1],
      [{ status: 504 }, 1],
      [new TypeError('fetch failed'), 1],
    ] as const) {
      const { scheduler, fake, transport } = setup((_, i) => (i === 0 ? (outcome as Outcome) : { body: STATUS }));
      record(scheduler, transport.request$(getStatus('refused')));
      await advance(scheduler, 60_000);
      expect(fake.calls, JSON.stringify(outcome)).to.have.length(calls);
    }
  });

  it("never retries with retry: 'never'", async () => {
    const { scheduler, fake, transport } = setup(() => ({ status: 503 }));
    record(scheduler, transport.request$(getStatus('never')));
    await advance(scheduler, 60_000);
    expect(fake.calls).to.have.length(1);
  });

  it('fails at once on a redirect (not followed where the key is sent)', async () => {
    const { scheduler, fake, transport } = setup(() => ({ status: 302, headers: { location: 'https://elsewhere.test/' } }));
    const { rec } = record(scheduler, transport.request$(getStatus()));
    await advance(scheduler, 60_000);
    expect(fake.calls).to.have.length(1);
    expect((rec.error as ApiError).status).to.equal(302);
  });

  it('turns a malformed answer into a DecodeError naming route and paths, not values', async () => {
    const { scheduler, fake, transport } = setup(() => ({ body: { job_id: 'job_1', status: 42, job_progress: 'SECRET-VALUE' } }));
    const { rec } = record(scheduler, transport.request$(getStatus()));
    await advance(scheduler, 60_000);
    expect(fake.calls).to.have.length(1); // not retried
    expect(rec.error).to.be.instanceOf(DecodeError);
    const e = rec.error as DecodeError;
    expect(e.route).to.equal('job/job_1');
    expect([...e.paths].sort()).to.deep.equal(['job_progress', 'status']);
    expect(e.message).not.to.contain('SECRET-VALUE');
    expect(JSON.stringify(e)).not.to.contain('SECRET-VALUE');
    expect(inspect(e)).not.to.contain('SECRET-VALUE');
  });

  it('turns a body that is not JSON into a DecodeError (not resent when the request may not be)', async () => {
    const { scheduler, fake, transport } = setup(() => ({ body: '<html>oops</html>' }));
    const { rec } = record(scheduler, transport.request$(getStatus('refused')));
    await advance(scheduler, 0);
    expect(rec.error).to.be.instanceOf(DecodeError);
    expect((rec.error as DecodeError).message).to.equal('Answer (not JSON) of job/job_1 is malformed at (root)');
    expect(fake.calls).to.have.length(1);
  });

  it('resends an idempotent request whose 2xx body is not JSON at all (a proxy page), like a 5xx; a wrong JSON shape is not resent', async () => {
    const { scheduler, fake, transport } = setup((_call, i) => (i === 0 ? { body: '<html>maintenance</html>' } : { body: STATUS }));
    const { rec } = record(scheduler, transport.request$(getStatus()));
    await advance(scheduler, 60_000);
    expect(rec.error).to.equal(undefined);
    expect(rec.values).to.have.length(1);
    expect(fake.calls).to.have.length(2);

    const wrong = setup(() => ({ body: { status: 42 } }));
    const r2 = record(wrong.scheduler, wrong.transport.request$(getStatus()));
    await advance(wrong.scheduler, 60_000);
    expect(r2.rec.error).to.be.instanceOf(DecodeError);
    expect(wrong.fake.calls).to.have.length(1);
  });

  it('PUTs to a foreign signed URL without the key or the extra headers', async () => {
    const { scheduler, fake, transport } = setup(() => ({ status: 200 }));
    const { rec } = record(scheduler, transport.upload$('https://bucket.storage.test/up/r1?X-Signature=abc', 'a\nb', 'application/x-ndjson'));
    await advance(scheduler, 0);
    expect(rec.values).to.deep.equal([undefined]);
    const call = fake.calls[0]!;
    expect(call.method).to.equal('PUT');
    expect(call.body).to.equal('a\nb');
    expect(call.init.headers).to.deep.equal({ 'content-type': 'application/x-ndjson' });
  });

  it('PUTs to a signed URL on the endpoint origin with the key', async () => {
    const { scheduler, fake, transport } = setup(() => ({ status: 200 }));
    record(scheduler, transport.upload$('https://api.example.test/upload/r1', 'x', 'application/x-ndjson'));
    await advance(scheduler, 0);
    expect(fake.calls[0]!.header('authorization')).to.match(/^Basic /);
  });

  it('names a failed upload by origin and path, without the signature', async () => {
    const { scheduler, transport } = setup(() => ({ status: 403, body: 'expired' }));
    const { rec } = record(scheduler, transport.upload$('https://bucket.storage.test/up/r1?X-Signature=abc', 'x', 'application/x-ndjson'));
    await advance(scheduler, 0);
    expect((rec.error as ApiError).route).to.equal('https://bucket.storage.test/up/r1');
    expect((rec.error as ApiError).message).not.to.contain('abc');
  });

  it('refuses a plain-http signed URL to a non-loopback host', async () => {
    const { scheduler, fake, transport } = setup(() => ({ status: 200 }));
    const { rec } = record(scheduler, transport.upload$('http://bucket.storage.test/up', 'x', 'application/x-ndjson'));
    await advance(scheduler, 0);
    expect((rec.error as Error).name).to.equal('ConfigurationError');
    expect(fake.calls).to.have.length(0);
  });

  describe('maxConcurrentRequests', () => {
    it('sends at most that many at once; the others go, in order, as answers arrive', async () => {
      const { scheduler, fake, transport } = setup(() => ({ body: STATUS, delayMs: 100 }), { maxConcurrentRequests: 2 });
      const recs = [0, 1, 2, 3, 4].map((i) => record(scheduler, transport.request$({ ...getStatus(), route: `job/job_${i}` })).rec);
      await advance(scheduler, 0);
      expect(fake.calls.map((c) => c.path)).to.deep.equal(['/v1/nucleus/job/job_0', '/v1/nucleus/job/job_1']);
      await advance(scheduler, 300);
      expect(fake.calls.map((c) => [c.path.slice(-5), c.at])).to.deep.equal([
        ['job_0', 0],
        ['job_1', 0],
        ['job_2', 100],
        ['job_3', 100],
        ['job_4', 200],
      ]);
      expect(recs.map((r) => r.completedAt)).to.deep.equal([100, 100, 200, 200, 300]);
    });

    it('sends a waiting request that is not background before the background ones (polls) waiting longer', async () => {
      const { scheduler, fake, transport } = setup(() => ({ body: STATUS, delayMs: 100 }), { maxConcurrentRequests: 1 });
      for (const name of ['poll_0', 'poll_1', 'poll_2']) record(scheduler, transport.request$({ ...getStatus(), route: `job/${name}`, background: true }));
      await advance(scheduler, 50);
      const clicked = record(scheduler, transport.request$({ ...getStatus(), route: 'job/clicked' })).rec;
      await advance(scheduler, 1000);
      expect(fake.calls.map((c) => [c.path.slice(-6), c.at])).to.deep.equal([
        ['poll_0', 0],
        ['licked', 100],
        ['poll_1', 200],
        ['poll_2', 300],
      ]);
      expect(clicked.completedAt).to.equal(200);
    });

    it('starts the timeout when the request is sent, not while it waits its turn', async () => {
      const { scheduler, fake, transport } = setup(() => ({ body: STATUS, delayMs: 4000 }), {
        maxConcurrentRequests: 1,
        timeoutMs: 5000,
        retry: { ...RETRY, maxRetries: 0 },
      });
      const recs = [0, 1, 2].map(() => record(scheduler, transport.request$(getStatus())).rec);
      await advance(scheduler, 20_000);
      expect(fake.calls.map((c) => c.at)).to.deep.equal([0, 4000, 8000]);
      expect(recs.map((r) => [r.error, r.completedAt])).to.deep.equal([
        [undefined, 4000],
        [undefined, 8000],
        [undefined, 12000],
      ]);
    });

    it('frees the slot of a request that times out, fails or is cancelled', async () => {
      const { scheduler, fake, transport } = setup((_, i) => (i === 0 || i === 2 ? 'hang' : i === 1 ? new TypeError('fetch failed') : { body: STATUS }), {
        maxConcurrentRequests: 1,
        timeoutMs: 5000,
        retry: { ...RETRY, maxRetries: 0 },
      });
      const timedOut = record(scheduler, transport.request$(getStatus())).rec;
      const failed = record(scheduler, transport.request$(getStatus())).rec;
      const cancelled = record(scheduler, transport.request$({ ...getStatus(), route: 'job/cancelled' }));
      const last = record(scheduler, transport.request$(getStatus())).rec;
      await advance(scheduler, 5000);
      expect(timedOut.error).to.be.instanceOf(RequestTimeoutError);
      expect(isConnectionError(failed.error)).to.equal(true);
      // The third is running now; cancelling it lets the fourth go.
      expect(fake.calls.map((c) => c.path.slice(-9))).to.deep.equal(['job/job_1', 'job/job_1', 'cancelled']);
      cancelled.sub.unsubscribe();
      expect(fake.calls[2]!.init.signal.aborted).to.equal(true);
      await advance(scheduler, 5000);
      expect(fake.calls).to.have.length(4);
      expect(last.completedAt).to.equal(5000);
      expect(scheduler.actions).to.have.length(0);
    });

    it('never sends a request unsubscribed while it waited', async () => {
      const { scheduler, fake, transport } = setup(() => ({ body: STATUS, delayMs: 100 }), { maxConcurrentRequests: 1 });
      record(scheduler, transport.request$(getStatus()));
      const waiting = record(scheduler, transport.request$({ ...getStatus(), route: 'job/never' }));
      const after = record(scheduler, transport.request$(getStatus())).rec;
      await advance(scheduler, 50);
      waiting.sub.unsubscribe();
      await advance(scheduler, 1000);
      expect(fake.calls.map((c) => c.path)).not.to.include('/v1/nucleus/job/never');
      expect(fake.calls.map((c) => c.at)).to.deep.equal([0, 100]);
      expect(after.completedAt).to.equal(200);
      expect(waiting.rec).to.deep.equal({ values: [], error: undefined, errorAt: undefined, completedAt: undefined });
    });

    it('sends none of the waiting requests when a whole batch is unsubscribed at once', async () => {
      const { scheduler, fake, transport } = setup(() => ({ body: STATUS, delayMs: 100 }), { maxConcurrentRequests: 2 });
      const sub = merge(...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => transport.request$({ ...getStatus(), route: `job/job_${i}` }))).subscribe();
      await advance(scheduler, 10);
      sub.unsubscribe();
      await advance(scheduler, 1000);
      expect(fake.calls.map((c) => c.path.slice(-5))).to.deep.equal(['job_0', 'job_1']);
      expect(fake.calls.every((c) => c.init.signal.aborted)).to.equal(true);
    });

    it('sends none of the waiting requests of a forkJoin that fails on its first answer', async () => {
      const { scheduler, fake, transport } = setup((_, i) => (i === 0 ? { status: 404, delayMs: 10 } : { body: STATUS, delayMs: 100 }), {
        maxConcurrentRequests: 3,
      });
      const { rec } = record(scheduler, forkJoin([0, 1, 2, 3, 4, 5, 6, 7].map((i) => transport.request$({ ...getStatus(), route: `job/job_${i}` }))));
      await advance(scheduler, 1000);
      expect(rec.error).to.be.instanceOf(NotFoundError);
      expect(fake.calls).to.have.length(3);
    });

    it("never sends a waiting request that the running one's subscriber unsubscribes when its answer arrives", async () => {
      const { scheduler, fake, transport } = setup(() => ({ body: STATUS, delayMs: 100 }), { maxConcurrentRequests: 1 });
      let waiting: Subscription | undefined;
      transport.request$(getStatus()).subscribe(() => waiting!.unsubscribe());
      waiting = transport.request$({ ...getStatus(), route: 'job/never' }).subscribe();
      await advance(scheduler, 1000);
      expect(fake.calls.map((c) => c.path)).to.deep.equal(['/v1/nucleus/job/job_1']);
    });

    it('frees the slot when a subscriber throws while handling the answer', async () => {
      const { scheduler, fake, transport } = setup(() => ({ body: STATUS, delayMs: 100 }), { maxConcurrentRequests: 1 });
      const thrown: unknown[] = [];
      const saved = config.onUnhandledError;
      config.onUnhandledError = (e) => thrown.push(e);
      try {
        transport.request$(getStatus()).subscribe(() => {
          throw new Error('subscriber bug');
        });
        const next = record(scheduler, transport.request$(getStatus())).rec;
        await advance(scheduler, 1000);
        expect(fake.calls.map((c) => c.at)).to.deep.equal([0, 100]);
        expect(next.completedAt).to.equal(200);
        // rxjs reports the subscriber's error on a timer of its own.
        while (thrown.length === 0) await new Promise((r) => setTimeout(r, 1));
        expect((thrown[0] as Error).message).to.equal('subscriber bug');
      } finally {
        config.onUnhandledError = saved;
      }
    });

    it('fails a request whose retry.random throws, and frees its slot', async () => {
      const { scheduler, fake, transport } = setup((_, i) => (i === 0 ? { status: 503, delayMs: 100 } : { body: STATUS, delayMs: 100 }), {
        maxConcurrentRequests: 1,
        retry: {
          ...RETRY,
          random: () => {
            throw new Error('bad random');
          },
        },
      });
      const first = record(scheduler, transport.request$(getStatus())).rec;
      const next = record(scheduler, transport.request$(getStatus())).rec;
      await advance(scheduler, 1000);
      expect((first.error as Error).message).to.equal('bad random');
      expect(first.errorAt).to.equal(100);
      expect(fake.calls.map((c) => c.at)).to.deep.equal([0, 100]);
      expect(next.completedAt).to.equal(200);
    });

    it('holds no slot while a retry waits its backoff', async () => {
      // The first request gets a 503 and waits 1 s before its retry; the second goes meanwhile.
      const { scheduler, fake, transport } = setup((_, i) => (i === 0 ? { status: 503 } : { body: STATUS, delayMs: 10 }), { maxConcurrentRequests: 1 });
      const first = record(scheduler, transport.request$(getStatus())).rec;
      const second = record(scheduler, transport.request$({ ...getStatus(), route: 'job/second' })).rec;
      await advance(scheduler, 2000);
      expect(fake.calls.map((c) => [c.path.slice(-6), c.at])).to.deep.equal([
        ['/job_1', 0],
        ['second', 0],
        ['/job_1', 1000],
      ]);
      expect(second.completedAt).to.equal(10);
      expect(first.completedAt).to.equal(1010);
    });
  });

  it('prints without the key', () => {
    const { transport } = setup(() => ({ body: STATUS }));
    for (const text of [JSON.stringify(transport), inspect(transport, { showHidden: true, depth: Infinity }), String(transport)]) {
      expect(text).not.to.contain(KEY);
      expect(text).not.to.contain(base64Utf8(`${KEY}:`));
    }
    expect(inspect(transport)).to.contain('api.example.test');
  });
});
