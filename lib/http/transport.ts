/**
 * The HTTP transport every Nucleus request goes through: builds the URL under the endpoint, adds
 * the authentication header (to the endpoint's origin only), sends it as a cold, abortable
 * Observable with a per-request timeout, turns error statuses into typed `ApiError`s, retries what
 * may be retried, and decodes the answer with io-ts.
 *
 * It holds the credentials in a `#private` field; its `toJSON` and `util.inspect` output name the
 * endpoint and the auth scheme only.
 */
import type * as t from 'io-ts';
import type { Observable, SchedulerLike } from 'rxjs';
import { ApiError, ValidationError, isRefusedError, isTransientError } from '../errors.js';
import { bodyExcerpt } from './body-excerpt.js';
import type { Credentials } from './credentials.js';
import { Deadlines } from './deadlines.js';
import { decodeOrThrow, parseJsonOrThrow } from './decode.js';
import { checkRemoteUrl } from './endpoint.js';
import { type FetchLike, type HttpAnswer, fetchAnswer } from './fetch-answer.js';
import { type RunInSlot, requestSlots } from './request-slots.js';
import { parseRetryAfter } from './retry-after.js';
import type { RetryOptions } from './retry-policy.js';
import { retryTransient$ } from './retry-transient.js';

/**
 * Which failures a request may be resent after:
 * - `idempotent`: every transient failure (GETs, read-only POSTs, job-starting POSTs that reuse
 *   their `requestId`, PUTs to a signed URL);
 * - `refused`: only answers proving the server did nothing (429, 503), for requests that would do
 *   their work twice (`POST dataset/create`);
 * - `never`.
 */
export type RetryMode = 'idempotent' | 'refused' | 'never';

export interface ApiRequest<A> {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Relative to the endpoint, segments already encoded (see {@link route}); no query string. */
  readonly route: string;
  readonly query?: Readonly<Record<string, string>>;
  /** Sent as JSON. */
  readonly body?: unknown;
  readonly codec: t.Decoder<unknown, A>;
  readonly retry: RetryMode;
  /** A poll: under the cap on requests in flight, it waits behind every request that is not one. */
  readonly background?: boolean | undefined;
}

export interface TransportConfig {
  readonly credentials: Credentials;
  /** Parsed and checked by `parseEndpoint` (ends with `/`). */
  readonly endpoint: URL;
  readonly fetch: FetchLike;
  /** Extra headers for requests to the endpoint. */
  readonly headers: Readonly<Record<string, string>>;
  readonly retry: RetryOptions;
  readonly timeoutMs: number;
  /** Requests in flight at most; more wait their turn (`Infinity`: no cap). */
  readonly maxConcurrentRequests: number;
  readonly scheduler: SchedulerLike;
  readonly allowInsecureHttp: boolean;
}

/** Response headers that may carry the server's request id, most specific first. */
const REQUEST_ID_HEADERS = ['x-request-id', 'x-amzn-requestid', 'x-amz-request-id', 'request-id'];

/**
 * A route from raw path segments, each percent-encoded.
 *
 * @throws ValidationError for a segment `.` or `..`: URLs resolve those (percent-encoded too), so
 * an id `..` would call another route.
 *
 * @example
 * ```ts
 * route('job', 'job_1', 'info'); // 'job/job_1/info'
 * ```
 */
export function route(...segments: string[]): string {
  for (const s of segments) if (s === '.' || s === '..') throw new ValidationError(`An id cannot be "${s}"`);
  return segments.map(encodeURIComponent).join('/');
}

/** What one subscription sends (computed at subscription, so building errors error the stream). */
interface Prepared {
  readonly url: string;
  /** What errors name the request by. */
  readonly route: string;
  readonly headers: Record<string, string>;
  readonly body?: string | undefined;
  readonly redirect: 'manual' | 'follow';
}

/**
 * Which errors each retry mode resends. A 2xx whose body is not JSON at all (a proxy's HTML page, a
 * maintenance page) says nothing about the request: transient, so resent like a 5xx where resending
 * is safe. A JSON answer of the wrong shape is a real DecodeError and is not retried.
 */
const SHOULD_RETRY: Readonly<Record<RetryMode, (error: unknown) => boolean>> = {
  idempotent: isTransientError,
  refused: isRefusedError,
  never: () => false,
};

/** What every request of a transport shares, made once (thousands of requests may be in flight). */
interface Shared {
  readonly config: TransportConfig;
  readonly deadlines: Deadlines | undefined;
  readonly inSlot: RunInSlot;
  readonly sanitizeCause: (error: unknown) => unknown;
}

export class Transport {
  /** Credentials included: hence `#private`. */
  readonly #shared: Shared;

  constructor(config: TransportConfig) {
    const { timeoutMs, scheduler, credentials } = config;
    this.#shared = {
      config,
      deadlines: timeoutMs > 0 && Number.isFinite(timeoutMs) ? new Deadlines(scheduler, timeoutMs) : undefined,
      inSlot: requestSlots(config.maxConcurrentRequests, scheduler),
      sanitizeCause: (e) => sanitizeCause(e, credentials),
    };
  }

  /** The endpoint, with a trailing slash. */
  get endpoint(): string {
    return this.#shared.config.endpoint.href;
  }

  /**
   * A cold Observable of one decoded answer: each subscription sends the request (and its retries).
   *
   * @example
   * ```ts
   * transport.request$({ method: 'GET', route: route('job', id), codec: JobStatus, retry: 'idempotent' });
   * ```
   */
  request$<A>(request: ApiRequest<A>): Observable<A> {
    const { method, route: path, codec } = request;
    const shared = this.#shared;
    const { config } = shared;
    return send$(
      shared,
      method,
      request.retry,
      () => {
        const url = new URL(path, config.endpoint);
        for (const [k, v] of Object.entries(request.query ?? {})) url.searchParams.set(k, v);
        const headers: Record<string, string> = {
          accept: 'application/json',
          ...config.headers,
          ...config.credentials.headers(),
        };
        let body: string | undefined;
        if (request.body !== undefined) {
          headers['content-type'] = 'application/json';
          body = JSON.stringify(request.body);
        }
        return { url: url.href, route: path, headers, body, redirect: 'manual' };
      },
      (answer) => decodeOrThrow(codec, parseJsonOrThrow(answer.text, path), path),
      request.background,
    );
  }

  /**
   * `PUT`s a body to a signed upload URL. The key is sent only if the URL is on the endpoint's
   * origin; a plain-http URL to a non-loopback host is refused like an endpoint would be.
   * Emits `undefined` once the upload is accepted (2xx).
   */
  upload$(signedUrl: string, body: string, contentType: string): Observable<void> {
    const shared = this.#shared;
    const { config } = shared;
    return send$(
      shared,
      'PUT',
      'idempotent',
      () => {
        const url = new URL(signedUrl, config.endpoint);
        checkRemoteUrl(url, config.allowInsecureHttp, 'The signed upload URL');
        const sameOrigin = url.origin === config.endpoint.origin;
        const headers: Record<string, string> = {
          'content-type': contentType,
          ...(sameOrigin ? { ...config.headers, ...config.credentials.headers() } : {}),
        };
        // Errors name the upload by origin and path: the signature lives in the query string.
        // Redirects are followed only where no key is sent.
        return { url: url.href, route: `${url.origin}${url.pathname}`, headers, body, redirect: sameOrigin ? 'manual' : 'follow' };
      },
      () => undefined,
    );
  }

  toJSON(): Record<string, unknown> {
    return { endpoint: this.endpoint, auth: this.#shared.config.credentials.toJSON() };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Transport { endpoint: '${this.endpoint}', auth: ${this.#shared.config.credentials.scheme} (***) }`;
  }
}

/**
 * Sends with retries; `read` turns a 2xx answer into the result, inside the retry loop. Per
 * request this keeps only the prepared request and one closure per attempt. Each attempt waits for
 * a slot under the client's cap, behind the other requests when `background`.
 */
function send$<T>(shared: Shared, method: string, mode: RetryMode, prepare: () => Prepared, read: (answer: HttpAnswer) => T, background?: boolean): Observable<T> {
  const { config, deadlines, inSlot, sanitizeCause } = shared;
  const { fetch, scheduler, credentials } = config;
  return retryTransient$<T>(
    () => {
      const prepared = prepare();
      const path = prepared.route;
      // The timeout starts with the slot: a request waiting its turn has not been sent.
      return (settle) =>
        inSlot((release) =>
          fetchAnswer({ ...prepared, fetch, method, deadlines, sanitizeCause }, (ok, result) => {
            // The next request starts in a later action of the scheduler: what the subscribers of
            // this one cancel when it settles is never sent.
            release();
            if (!ok) return settle(false, result);
            const answer = result as HttpAnswer;
            let value: T;
            try {
              if (answer.status < 200 || answer.status >= 300) throw toApiError(answer, method, path, credentials, scheduler.now());
              value = read(answer);
            } catch (e) {
              return settle(false, e);
            }
            settle(true, value);
          }),
          background,
        );
    },
    { options: config.retry, scheduler, shouldRetry: SHOULD_RETRY[mode] },
  );
}

function toApiError(answer: HttpAnswer, method: string, path: string, credentials: Credentials, now: number): ApiError {
  let requestId: string | undefined;
  for (const name of REQUEST_ID_HEADERS) {
    const v = answer.headers.get(name);
    if (v) {
      requestId = bodyExcerpt(credentials.redact(v));
      break;
    }
  }
  return ApiError.from({
    status: answer.status,
    method,
    route: path,
    requestId,
    // Redacted before cutting, so a key cut in half by the excerpt cannot survive.
    bodyExcerpt: bodyExcerpt(credentials.redact(answer.text)),
    retryAfterMs: parseRetryAfter(answer.headers.get('retry-after'), now),
  });
}

/**
 * A network error is kept as the `cause` of a `ConnectionError` only when all of it can be seen to
 * be free of the key: errors, plain objects and arrays whose own fields (symbols included) are
 * primitives without the key or, within a few levels, such objects again. Anything else (a `fetch`
 * wrapper's error holding the `Request`, its `Headers` or a `Map`, whose contents live in internal
 * slots; a function; a custom `util.inspect`; an inherited `cause` getter) is replaced by a copy:
 * name, message and primitive fields, redacted, without stack, the causes copied the same way.
 * Never throws: an error that cannot even be read becomes a plain one.
 */
function sanitizeCause(error: unknown, credentials: Credentials): unknown {
  try {
    if (isClean(error, credentials, 0)) return error;
  } catch {
    // A getter or a Proxy trap that throws: what can be read is copied.
  }
  try {
    return redactedCopy(error, credentials, 0);
  } catch {
    return new Error('(a network error that could not be read)');
  }
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

function isClean(v: unknown, credentials: Credentials, depth: number): boolean {
  if (typeof v === 'string') return !credentials.leaksInto(v);
  if (typeof v === 'function') return false;
  if (typeof v !== 'object' || v === null) return true;
  const proto = Object.getPrototypeOf(v);
  const isError = v instanceof Error;
  if (depth > 4 || INSPECT in v || !(isError || Array.isArray(v) || proto === Object.prototype || proto === null)) return false;
  // What inspect prints but is not an own field: `message` and `stack` getters (DOMException), an inherited `cause`.
  if ('cause' in v && !Object.hasOwn(v, 'cause')) return false;
  if (isError && !isClean(`${(v as Error).message}\n${(v as Error).stack}`, credentials, depth)) return false;
  return Reflect.ownKeys(v).every((key) => isClean((v as Record<PropertyKey, unknown>)[key], credentials, depth + 1));
}

function redactedCopy(e: unknown, credentials: Credentials, depth: number): unknown {
  if (typeof e !== 'object' || e === null) return typeof e === 'string' ? credentials.redact(e) : typeof e === 'function' ? undefined : e;
  const read = (key: string): unknown => {
    try {
      return (e as Record<string, unknown>)[key];
    } catch {
      return undefined;
    }
  };
  const text = (key: string, fallback: string): string => credentials.redact(String(read(key) ?? fallback));
  const copy = new Error(text('message', ''), depth < 4 && 'cause' in e ? { cause: redactedCopy(read('cause'), credentials, depth + 1) } : undefined);
  Object.defineProperty(copy, 'name', { value: text('name', 'Error'), writable: true, configurable: true });
  for (const key of Object.getOwnPropertyNames(e)) {
    const v = read(key);
    if (!['message', 'name', 'stack', 'cause'].includes(key) && (typeof v === 'object' ? v === null : typeof v !== 'function')) {
      (copy as unknown as Record<string, unknown>)[key] = typeof v === 'string' ? credentials.redact(v) : v;
    }
  }
  copy.stack = `${copy.name}: ${copy.message}`;
  return copy;
}
