/**
 * NucleusClient: the typed entry point to the Nucleus API. It implements {@link JobApi} (the three
 * job requests the poll loop needs) and the operations that start jobs.
 *
 * Every method returns a cold Observable: nothing is sent until subscription, each subscription
 * sends its own request(s), and unsubscribing aborts what is in flight.
 */
import type { Observable, SchedulerLike } from 'rxjs';
import { asyncScheduler, defer, map } from './rx.js';
import type * as t from 'io-ts';
import { fetch as crossFetch } from 'cross-fetch';
import { DatasetCreated } from './codecs/dataset.js';
import { JobErrorLines, JobInfo, JobInfoList, JobStatus } from './codecs/job.js';
import { Dataset } from './dataset.js';
import { ConfigurationError, ValidationError } from './errors.js';
import { Credentials } from './http/credentials.js';
import { DEFAULT_ENDPOINT, parseEndpoint } from './http/endpoint.js';
import { readEnvironment } from './http/environment.js';
import type { FetchLike } from './http/fetch-answer.js';
import { type RetryOptions, resolveRetryOptions } from './http/retry-policy.js';
import { Transport, route } from './http/transport.js';
import type { JobApi, JobRequestOptions } from './job-api.js';
import { AsyncJob, checkJobOptions, type AsyncJobOptions } from './async-job.js';

/** What job-returning operations emit: an {@link AsyncJob} (kept as an alias for older code). */
export type ClientJob = AsyncJob;

/**
 * Defaults handed to the jobs this client returns (see `AsyncJobOptions`): `policy`, `maxWait`,
 * `pause$`, and `scheduler` (default: the client's `scheduler`).
 */
export type PollingDefaults = AsyncJobOptions;

export interface NucleusClientOptions {
  /** Sent as HTTP Basic (user name, empty password). Default: `NUCLEUS_API_KEY` under Node. */
  readonly apiKey?: string;
  /** Sent as `x-limited-access-key`; exclusive with `apiKey`. */
  readonly limitedAccessKey?: string;
  /** Default: `NUCLEUS_ENDPOINT` under Node, else `https://api.scale.com/v1/nucleus`. */
  readonly endpoint?: string;
  /** Any WHATWG `fetch`; default the platform's `fetch`, else cross-fetch. */
  readonly fetch?: FetchLike;
  /** Extra headers for requests to the endpoint (not the authentication ones). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Retry policy of transient failures; `false` disables retries. */
  readonly retry?: Partial<RetryOptions> | false;
  /** Per-request timeout (each attempt, body included). Default 120,000 ms; `Infinity` for none. */
  readonly timeoutMs?: number;
  /**
   * Requests in flight at once, at most (default {@link DEFAULT_MAX_CONCURRENT_REQUESTS}); later ones
   * wait their turn (the requests someone waits on before the polls of watched jobs, each kind in
   * order), and their timeout starts when they are sent. Spreads a burst of polls
   * (thousands of jobs due together) over the time the server takes to answer. `Infinity`: no cap.
   */
  readonly maxConcurrentRequests?: number;
  /** Scheduler of timeouts and retry delays (inject a `TestScheduler` in tests). Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /** Defaults for the returned jobs' polling. */
  readonly polling?: PollingDefaults;
  /** Allow plain `http://` to a non-loopback host (the key then travels in clear). Default `false`. */
  readonly allowInsecureHttp?: boolean;
}

export interface CreateDatasetOptions {
  readonly name: string;
  readonly isScene?: boolean;
  readonly usePrivacyMode?: boolean;
}

export interface ListJobsOptions {
  /** Include finished jobs. Default `false`. */
  readonly showCompleted?: boolean;
  /** Only jobs created at or after (a `Date` or an ISO-8601 string). */
  readonly fromDate?: Date | string;
  /** Only jobs created at or before. */
  readonly toDate?: Date | string;
  /** Only these job types, an array (e.g. `['uploadDatasetItems', 'uploadAnnotations']`); default all. */
  readonly jobTypes?: readonly string[];
  /** At most this many jobs, 1..50,000. Default 50,000. */
  readonly limit?: number;
  /** Only the jobs of this dataset. */
  readonly datasetId?: string;
}

export const DEFAULT_TIMEOUT_MS = 120_000;
export const MAX_LIST_LIMIT = 50_000;
export const DEFAULT_MAX_CONCURRENT_REQUESTS = 32;

/** Headers only the client sets: a caller's copy would send a second key. */
const RESERVED_HEADERS = new Set(['authorization', 'x-limited-access-key']);

/**
 * @example
 * ```ts
 * import { NucleusClient } from 'nucleus-rx';
 *
 * const client = new NucleusClient({ apiKey: 'YOUR_SCALE_API_KEY' });
 * const dataset = client.dataset('YOUR_DATASET_ID');
 * dataset.append(items, { asynchronous: true }).subscribe((job) => console.log(job.jobId));
 * ```
 */
export class NucleusClient implements JobApi {
  readonly #transport: Transport;
  readonly #credentials: Credentials;
  readonly #polling: PollingDefaults;

  /** @throws ConfigurationError for no key, two keys, a bad or insecure endpoint, reserved headers. */
  constructor(options: NucleusClientOptions = {}) {
    const env = readEnvironment();
    const credentials = Credentials.of(
      options.apiKey === undefined && options.limitedAccessKey === undefined ? { apiKey: env.apiKey } : options,
    );
    const allowInsecureHttp = options.allowInsecureHttp === true;
    const endpoint = parseEndpoint(options.endpoint ?? env.endpoint ?? DEFAULT_ENDPOINT, allowInsecureHttp);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      const lower = name.toLowerCase();
      if (RESERVED_HEADERS.has(lower)) {
        throw new ConfigurationError(`Header ${lower} is set by the client: pass apiKey or limitedAccessKey instead`);
      }
      // What fetch would reject on every request (as a network error, retried): the value is not
      // repeated, it may be a secret.
      if (!/^[!#$%&'*+.^_`|~\w-]+$/.test(name) || typeof value !== 'string' || !/^[^\0\r\n\u0100-\uffff]*$/.test(value)) {
        throw new ConfigurationError(`Header ${JSON.stringify(name)} is not a valid HTTP header name and value`);
      }
      headers[lower] = value;
    }
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!(typeof timeoutMs === 'number' && timeoutMs > 0)) throw new ConfigurationError('timeoutMs must be a positive number');
    const maxConcurrentRequests = options.maxConcurrentRequests ?? DEFAULT_MAX_CONCURRENT_REQUESTS;
    if (!(maxConcurrentRequests >= 1 && (Number.isInteger(maxConcurrentRequests) || maxConcurrentRequests === Infinity))) {
      throw new ConfigurationError('maxConcurrentRequests must be a positive integer or Infinity');
    }
    const retry = resolveRetryOptions(options.retry);
    const scheduler = options.scheduler ?? asyncScheduler;
    this.#credentials = credentials;
    this.#transport = new Transport({
      credentials,
      endpoint,
      fetch: options.fetch ?? defaultFetch(),
      headers,
      retry,
      timeoutMs,
      maxConcurrentRequests,
      scheduler,
      allowInsecureHttp,
    });
    checkJobOptions(options.polling ?? {}, 'polling: ');
    this.#polling = { scheduler, ...options.polling };
  }

  /** The endpoint requests go to (with a trailing slash). */
  get endpoint(): string {
    return this.#transport.endpoint;
  }

  /** Polling defaults for the jobs this client returns. */
  get polling(): PollingDefaults {
    return this.#polling;
  }

  // -------------------------------------------------------------------------------------------
  // JobApi
  // -------------------------------------------------------------------------------------------

  /** `GET job/{id}`, decoded. */
  getStatus(jobId: string, options?: JobRequestOptions): Observable<JobStatus> {
    return getJob$(this.#transport, JobStatus, jobId, options).pipe(map((s) => redactStatus(this.#credentials, s)));
  }

  /** `GET job/{id}/errors`: the 10,000 most recent error strings, as sent. */
  getErrors(jobId: string, options?: JobRequestOptions): Observable<readonly string[]> {
    return getJob$(this.#transport, JobErrorLines, jobId, options, 'errors').pipe(
      map((lines) => (lines.some((l) => this.#credentials.leaksInto(l)) ? lines.map((l) => this.#credentials.redact(l)) : lines)),
    );
  }

  /** `GET job/{id}/info`, decoded. */
  getInfo(jobId: string): Observable<JobInfo> {
    return getJob$(this.#transport, JobInfo, jobId, undefined, 'info');
  }

  // -------------------------------------------------------------------------------------------
  // jobs
  // -------------------------------------------------------------------------------------------

  /**
   * Rebuilds a job from its id alone (`GET job/{id}/info`).
   *
   * @example
   * ```ts
   * client.getJob('job_c19xcf9mkws46gah0000').subscribe((job) => console.log(job.lastKnownStatus));
   * ```
   */
  getJob(jobId: string): Observable<ClientJob> {
    return this.getInfo(jobId).pipe(map((info) => toJob(this, info)));
  }

  /**
   * Lists jobs (`POST jobs/`), emitting one array.
   *
   * @example
   * ```ts
   * client.listJobs({ showCompleted: true, jobTypes: ['uploadAnnotations'], datasetId: 'ds_1' })
   *   .subscribe((jobs) => console.log(jobs.map((j) => j.jobId)));
   * ```
   */
  listJobs(options: ListJobsOptions = {}): Observable<readonly ClientJob[]> {
    return defer(() => {
      const { limit = MAX_LIST_LIMIT, jobTypes = [] } = options;
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
        throw new ValidationError(`limit must be an integer from 1 to ${MAX_LIST_LIMIT}`);
      }
      // A string would be spread into its characters, and match no job.
      if (!Array.isArray(jobTypes) || jobTypes.some((type) => typeof type != 'string')) {
        throw new ValidationError('jobTypes must be an array of strings');
      }
      const body = {
        dataset_id: options.datasetId ?? null,
        job_types: [...jobTypes],
        from_date: isoDate(options.fromDate, 'fromDate'),
        to_date: isoDate(options.toDate, 'toDate'),
        limit,
        show_completed: options.showCompleted ?? false,
      };
      // A read: safe to resend.
      return this.#transport.request$({ method: 'POST', route: 'jobs/', body, codec: JobInfoList, retry: 'idempotent' });
    }).pipe(map((infos) => infos.map((info) => toJob(this, info))));
  }

  // -------------------------------------------------------------------------------------------
  // datasets
  // -------------------------------------------------------------------------------------------

  /**
   * Creates a dataset (`POST dataset/create`) and emits its handle. Resent only after an answer
   * proving nothing was created (429, 503), so a retry never makes two datasets.
   *
   * @example
   * ```ts
   * client.createDataset({ name: 'cars' }).subscribe((dataset) => console.log(dataset.id));
   * ```
   */
  createDataset(options: CreateDatasetOptions): Observable<Dataset> {
    return defer(() => {
      if (typeof options?.name !== 'string' || options.name.trim() === '') {
        throw new ValidationError('createDataset needs a non-empty name');
      }
      return this.#transport
        .request$({
          method: 'POST',
          route: 'dataset/create',
          body: { name: options.name, is_scene: options.isScene ?? false, use_privacy_mode: options.usePrivacyMode ?? false },
          codec: DatasetCreated,
          retry: 'refused',
        })
        .pipe(map((answer) => datasetOf(this, this.#transport, answer.dataset_id, options.name)));
    });
  }

  /**
   * A handle on an existing dataset; sends nothing.
   *
   * @example
   * ```ts
   * const dataset = client.dataset('ds_123');
   * ```
   */
  dataset(datasetId: string): Dataset {
    if (typeof datasetId !== 'string' || datasetId === '') throw new ValidationError('dataset needs a non-empty id');
    return datasetOf(this, this.#transport, datasetId);
  }

  // -------------------------------------------------------------------------------------------
  // safe printing
  // -------------------------------------------------------------------------------------------

  /** Endpoint and auth scheme; the key is redacted. */
  toJSON(): Record<string, unknown> {
    return this.#transport.toJSON();
  }

  toString(): string {
    return `NucleusClient(${this.endpoint})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `NucleusClient { endpoint: '${this.endpoint}', auth: ${this.#credentials.scheme} (***) }`;
  }
}

/**
 * The platform's `fetch` where there is one (browsers, Node >= 18), else cross-fetch. The native
 * one is preferred: cross-fetch's Node implementation (node-fetch 2) never settles when a server
 * closes the connection in the middle of a body, leaving only the timeout to end the request.
 */
function defaultFetch(): FetchLike {
  const native = (globalThis as { fetch?: unknown }).fetch;
  return (typeof native === 'function' ? native : crossFetch) as unknown as FetchLike;
}

/** A dataset handle whose jobs are polled through `client` (a module function: smaller than a `#private` method once bundled). */
function datasetOf(client: NucleusClient, transport: Transport, id: string, name?: string): Dataset {
  return new Dataset(id, { transport, toJob: (info) => toJob(client, info) }, name);
}

/** The one place a job is made from its info: polled through `client`, with its polling defaults. */
function toJob(client: NucleusClient, info: JobInfo): AsyncJob {
  return new AsyncJob(info, client, client.polling);
}

/** `GET job/{id}[/{what}]`, decoded; a `ValidationError` at subscription for an empty or non-string id. */
function getJob$<A>(transport: Transport, codec: t.Decoder<unknown, A>, jobId: string, options: JobRequestOptions | undefined, ...what: string[]): Observable<A> {
  return defer(() => {
    if (typeof jobId !== 'string' || jobId === '') throw new ValidationError('A job id must be a non-empty string');
    return transport.request$({ method: 'GET', route: route('job', jobId, ...what), codec, retry: 'idempotent', background: options?.background });
  });
}

/**
 * A server that echoes the key into a job message must not make it reach snapshots, JobError
 * messages or logs: the message is redacted like error bodies are.
 */
function redactStatus(credentials: Credentials, s: JobStatus): JobStatus {
  const m = s.message;
  if (typeof m === 'string') return credentials.leaksInto(m) ? { ...s, message: credentials.redact(m) } : s;
  if (m === undefined) return s;
  const text = JSON.stringify(m);
  if (!credentials.leaksInto(text)) return s;
  try {
    return { ...s, message: JSON.parse(credentials.redact(text)) as JobStatus['message'] };
  } catch {
    return { ...s, message: '***' };
  }
}

function isoDate(d: Date | string | undefined, name: string): string | null {
  if (d === undefined) return null;
  const string = typeof d === 'string';
  if (Number.isNaN(string ? Date.parse(d) : d instanceof Date ? d.getTime() : NaN)) throw new ValidationError(`${name} is not a date`);
  return string ? d : d.toISOString();
}
