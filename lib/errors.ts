/**
 * Every error nucleus-rx raises, in one module.
 *
 * All of them extend {@link NucleusError}. None of them ever holds a request header, the API key or
 * the endpoint's credentials: only what the server answered (status, request id, a short excerpt of
 * the body) and what the caller asked for (method and route, without query string).
 *
 * Type guards (`isApiError`, ...) work across realms and duplicated installs: they test a brand
 * rather than `instanceof`.
 */
import type * as t from 'io-ts';
import type { AsyncJob } from './async-job.js';
import type { JobErrorRecord } from './job-error-record.js';
import type { JobSnapshot } from './job-snapshot.js';
import { firstFew } from './first-few.js';

// ---------------------------------------------------------------------------------------------
// brand
// ---------------------------------------------------------------------------------------------

const BRAND = Symbol.for('nucleus-rx.error');

function hasBrand(u: unknown, name?: string): boolean {
  if (typeof u !== 'object' || u === null) return false;
  const kinds = (u as { [BRAND]?: readonly string[] })[BRAND];
  return Array.isArray(kinds) && (name === undefined || kinds.includes(name));
}

function defineHidden(target: object, key: PropertyKey, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: false, writable: false, configurable: true });
}

// ---------------------------------------------------------------------------------------------
// base
// ---------------------------------------------------------------------------------------------

/** Base class of every error thrown or emitted by nucleus-rx. */
export class NucleusError extends Error {
  declare readonly [BRAND]: readonly string[];

  constructor(message: string, options?: { cause?: unknown }) {
    super(message);
    // The names of the classes in the chain, most specific first: read by the type guards.
    const kinds: string[] = [];
    for (let p = new.target.prototype; p && p !== Error.prototype; p = Object.getPrototypeOf(p)) {
      kinds.push((p.constructor as { errorName?: string }).errorName ?? p.constructor.name);
    }
    defineHidden(this, BRAND, kinds);
    defineHidden(this, 'name', kinds[0] ?? 'NucleusError');
    if (options && 'cause' in options) defineHidden(this, 'cause', options.cause);
  }

  // A getter rather than a static field: static fields compile to assignments after the class,
  // which bundlers must keep, so every error class would be bundled whether used or not.
  static get errorName(): string {
    return 'NucleusError';
  }

  /** A plain object of the error's public fields: safe to log. */
  toJSON(): Record<string, unknown> {
    // Own enumerable fields only: `name`, `message`, `cause` and the brand are not enumerable.
    return { name: this.name, message: this.message, ...(this as object) };
  }
}

export const isNucleusError = (u: unknown): u is NucleusError => hasBrand(u);

// ---------------------------------------------------------------------------------------------
// HTTP errors
// ---------------------------------------------------------------------------------------------

export interface ApiErrorInit {
  /** HTTP status of the answer. */
  readonly status: number;
  /** HTTP method of the request. */
  readonly method: string;
  /** Path of the request relative to the endpoint, without query string, e.g. `job/job_123`. */
  readonly route: string;
  /** The server's request id (`x-request-id`-like response header) when it sent one. */
  readonly requestId?: string | undefined;
  /** The first few hundred characters of the answer's body, control characters removed. */
  readonly bodyExcerpt?: string | undefined;
  /** The server's `Retry-After`, converted to milliseconds, when it sent one. */
  readonly retryAfterMs?: number | undefined;
}

/** The server answered with a non-success HTTP status. */
export class ApiError extends NucleusError {
  static override get errorName(): string {
    return 'ApiError';
  }
  readonly status: number;
  readonly method: string;
  readonly route: string;
  readonly requestId: string | undefined;
  readonly bodyExcerpt: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(init: ApiErrorInit) {
    super(
      `${init.method} ${init.route} answered ${init.status}` +
        (init.bodyExcerpt ? `: ${init.bodyExcerpt}` : '') +
        (init.requestId ? ` (request id ${init.requestId})` : ''),
    );
    this.status = init.status;
    this.method = init.method;
    this.route = init.route;
    this.requestId = init.requestId;
    this.bodyExcerpt = init.bodyExcerpt;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** Builds the most specific subclass for the status. */
  static from(init: ApiErrorInit): ApiError {
    const s = init.status;
    if (s === 400) return new BadRequestError(init);
    if (s === 401) return new AuthenticationError(init);
    if (s === 403) return new PermissionDeniedError(init);
    if (s === 404) return new NotFoundError(init);
    if (s === 409) return new ConflictError(init);
    if (s === 413) return new PayloadTooLargeError(init);
    if (s === 422) return new UnprocessableEntityError(init);
    if (s === 429) return new RateLimitError(init);
    if (s >= 500) return new ServerError(init);
    return new ApiError(init);
  }
}

export class BadRequestError extends ApiError {
  static override get errorName(): string {
    return 'BadRequestError';
  }
}
export class AuthenticationError extends ApiError {
  static override get errorName(): string {
    return 'AuthenticationError';
  }
}
export class PermissionDeniedError extends ApiError {
  static override get errorName(): string {
    return 'PermissionDeniedError';
  }
}
export class NotFoundError extends ApiError {
  static override get errorName(): string {
    return 'NotFoundError';
  }
}
export class ConflictError extends ApiError {
  static override get errorName(): string {
    return 'ConflictError';
  }
}
export class PayloadTooLargeError extends ApiError {
  static override get errorName(): string {
    return 'PayloadTooLargeError';
  }
}
export class UnprocessableEntityError extends ApiError {
  static override get errorName(): string {
    return 'UnprocessableEntityError';
  }
}
export class RateLimitError extends ApiError {
  static override get errorName(): string {
    return 'RateLimitError';
  }
}
export class ServerError extends ApiError {
  static override get errorName(): string {
    return 'ServerError';
  }
}

export const isApiError = (u: unknown): u is ApiError => hasBrand(u, 'ApiError');
export const isAuthenticationError = (u: unknown): u is AuthenticationError => hasBrand(u, 'AuthenticationError');
export const isPermissionDeniedError = (u: unknown): u is PermissionDeniedError => hasBrand(u, 'PermissionDeniedError');
export const isNotFoundError = (u: unknown): u is NotFoundError => hasBrand(u, 'NotFoundError');
export const isRateLimitError = (u: unknown): u is RateLimitError => hasBrand(u, 'RateLimitError');
export const isServerError = (u: unknown): u is ServerError => hasBrand(u, 'ServerError');

/** The request never got an HTTP answer: DNS, refused or reset connection, TLS, CORS. */
export class ConnectionError extends NucleusError {
  static override get errorName(): string {
    return 'ConnectionError';
  }
  readonly method: string;
  readonly route: string;
  constructor(init: { method: string; route: string; cause?: unknown }) {
    super(`${init.method} ${init.route} failed: no answer from the server`, { cause: init.cause });
    this.method = init.method;
    this.route = init.route;
  }
}
export const isConnectionError = (u: unknown): u is ConnectionError => hasBrand(u, 'ConnectionError');

/** The request got no complete answer within the per-request timeout. */
export class RequestTimeoutError extends NucleusError {
  static override get errorName(): string {
    return 'RequestTimeoutError';
  }
  readonly method: string;
  readonly route: string;
  readonly timeoutMs: number;
  constructor(init: { method: string; route: string; timeoutMs: number }) {
    super(`${init.method} ${init.route} timed out after ${init.timeoutMs} ms`);
    this.method = init.method;
    this.route = init.route;
    this.timeoutMs = init.timeoutMs;
  }
}
export const isRequestTimeoutError = (u: unknown): u is RequestTimeoutError => hasBrand(u, 'RequestTimeoutError');

/**
 * An answer did not have the expected shape. Names the route and the paths of the offending fields,
 * never their values (which may be large or sensitive). The io-ts `Errors` are kept as `ioTsErrors`,
 * hidden from `JSON.stringify` and `util.inspect`, for programmatic use.
 */
export class DecodeError extends NucleusError {
  static override get errorName(): string {
    return 'DecodeError';
  }
  readonly route: string;
  readonly paths: readonly string[];
  /**
   * The answer was not JSON at all (a proxy's or a maintenance page, a body cut short): it says
   * nothing about the request, so {@link isTransientError} counts it as transient.
   */
  readonly notJson: boolean;
  constructor(init: { route: string; paths: readonly string[]; errors?: t.Errors; what?: string; notJson?: boolean }) {
    super(`${init.what ?? 'Answer'} of ${init.route} is malformed at ${firstFew(init.paths, ', ') || '(root)'}`);
    this.route = init.route;
    this.paths = init.paths;
    this.notJson = init.notJson === true;
    // Not an own property: util.inspect prints non-enumerable own properties of errors, and io-ts
    // errors hold the raw values.
    decodeErrors.set(this, init.errors ?? []);
  }

  /**
   * The io-ts errors, raw values included: for programmatic use, never printed. (Not named
   * `errors`: util.inspect prints an error's `errors`, for AggregateError.)
   */
  get ioTsErrors(): t.Errors {
    return decodeErrors.get(this) ?? [];
  }
}
const decodeErrors = new WeakMap<DecodeError, t.Errors>();
export const isDecodeError = (u: unknown): u is DecodeError => hasBrand(u, 'DecodeError');

/** Input rejected client-side, before anything was sent (empty list, duplicate ids, local paths). */
export class ValidationError extends NucleusError {
  static override get errorName(): string {
    return 'ValidationError';
  }
  /** One entry per problem: the index of the offending input (when any) and what is wrong. */
  readonly issues: readonly { readonly index?: number; readonly message: string }[];
  constructor(message: string, issues: readonly { readonly index?: number; readonly message: string }[] = []) {
    super(message);
    this.issues = issues;
  }
}
export const isValidationError = (u: unknown): u is ValidationError => hasBrand(u, 'ValidationError');

/** The client was configured in a way that cannot work or would be unsafe (no key, http:// endpoint). */
export class ConfigurationError extends NucleusError {
  static override get errorName(): string {
    return 'ConfigurationError';
  }
}
export const isConfigurationError = (u: unknown): u is ConfigurationError => hasBrand(u, 'ConfigurationError');

// ---------------------------------------------------------------------------------------------
// transient or permanent
// ---------------------------------------------------------------------------------------------

/**
 * HTTP statuses worth retrying: the server (or a proxy before it) was overloaded, restarting or
 * unreachable, and the same request may well succeed later.
 */
export const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504, 520, 524]);

/**
 * HTTP statuses that say the request was refused before the server did anything with it, so that
 * even a request which is not idempotent (e.g. `POST dataset/create`) may be sent again.
 */
export const REFUSED_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/**
 * Whether an error is worth retrying: no answer at all (connection error, timeout), an answer
 * whose status is in {@link TRANSIENT_STATUSES}, or one that was not JSON at all (a `DecodeError`
 * with `notJson`: a maintenance page served with 200). Everything else (4xx, answers of the wrong
 * shape, validation errors) fails at once.
 *
 * @example
 * ```ts
 * source$.pipe(retry({ count: 3, delay: (e) => (isTransientError(e) ? timer(1000) : throwError(() => e)) }));
 * ```
 */
export function isTransientError(e: unknown): boolean {
  if (isConnectionError(e) || isRequestTimeoutError(e) || (isDecodeError(e) && e.notJson)) return true;
  return isApiError(e) && TRANSIENT_STATUSES.has(e.status);
}

/**
 * Whether an error proves the server did not act on the request (a 429 or 503 answer), so a request
 * that is not idempotent can be retried without doing its work twice.
 */
export function isRefusedError(e: unknown): boolean {
  return isApiError(e) && REFUSED_STATUSES.has(e.status);
}

/** The server's `Retry-After` carried by an error, in milliseconds, when there is one. */
export function retryAfterOf(u: unknown): number | undefined {
  if (typeof u !== 'object' || u === null) return undefined;
  const ms = (u as { retryAfterMs?: unknown }).retryAfterMs;
  return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

// ---------------------------------------------------------------------------------------------
// job outcomes
// ---------------------------------------------------------------------------------------------

function describeMessage(m: JobSnapshot['message']): string {
  if (m === undefined) return '';
  const text = typeof m === 'string' ? m : JSON.stringify(m);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/**
 * A job ended in a failed state (`Errored_User`, `Errored_Server`, `Errored_Partial`, ...).
 *
 * Carries the final snapshot and the first error records of the job, fetched when the failure was
 * observed, so handling it needs no extra request. The job itself is reachable as `job` but hidden
 * from `JSON.stringify` and `util.inspect`, which never walk into the client behind it.
 *
 * @example
 * ```ts
 * try {
 *   await job.sleepUntilComplete();
 * } catch (e) {
 *   if (isJobError(e)) console.error(e.status, e.errors.map((r) => r.referenceId));
 * }
 * ```
 */
export class JobError extends NucleusError {
  static override get errorName(): string {
    return 'JobError';
  }
  readonly jobId: string;
  /** The raw terminal status, e.g. `Errored_User`. */
  readonly status: string;
  readonly snapshot: JobSnapshot;
  /** The first error records of the job (at most the `errorsLimit` asked for); may be empty. */
  readonly errors: readonly JobErrorRecord[];
  declare readonly job: AsyncJob | undefined;

  constructor(init: { snapshot: JobSnapshot; errors?: readonly JobErrorRecord[]; job?: AsyncJob; cause?: unknown }) {
    const errors = init.errors ?? [];
    const detail = describeMessage(init.snapshot.message);
    super(
      `Job ${init.snapshot.jobId} ended ${init.snapshot.status}` +
        (detail ? `: ${detail}` : '') +
        (errors.length > 0 ? ` (first error: ${errors[0]!.message})` : ''),
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.jobId = init.snapshot.jobId;
    this.status = init.snapshot.status;
    this.snapshot = init.snapshot;
    this.errors = errors;
    defineHidden(this, 'job', init.job);
  }
}
export const isJobError = (u: unknown): u is JobError => hasBrand(u, 'JobError');

/**
 * A job ended `Cancelled`. Deliberately not a {@link JobError}: a cancellation is usually asked for,
 * so `isJobError` does not catch it.
 */
export class JobCancelledError extends NucleusError {
  static override get errorName(): string {
    return 'JobCancelledError';
  }
  readonly jobId: string;
  readonly status: string;
  readonly snapshot: JobSnapshot;
  declare readonly job: AsyncJob | undefined;

  constructor(init: { snapshot: JobSnapshot; job?: AsyncJob }) {
    super(`Job ${init.snapshot.jobId} was cancelled`);
    this.jobId = init.snapshot.jobId;
    this.status = init.snapshot.status;
    this.snapshot = init.snapshot;
    defineHidden(this, 'job', init.job);
  }
}
export const isJobCancelledError = (u: unknown): u is JobCancelledError => hasBrand(u, 'JobCancelledError');

/** A job did not reach a terminal state within the `maxWait` it was given. */
export class JobTimeoutError extends NucleusError {
  static override get errorName(): string {
    return 'JobTimeoutError';
  }
  readonly jobId: string;
  readonly maxWaitMs: number;
  /** The last snapshot observed before giving up, when there was one. */
  readonly lastSnapshot: JobSnapshot | undefined;

  constructor(init: { jobId: string; maxWaitMs: number; lastSnapshot?: JobSnapshot | undefined }) {
    super(
      `Job ${init.jobId} did not finish within ${init.maxWaitMs} ms` +
        (init.lastSnapshot ? ` (last status ${init.lastSnapshot.status})` : ''),
    );
    this.jobId = init.jobId;
    this.maxWaitMs = init.maxWaitMs;
    this.lastSnapshot = init.lastSnapshot;
  }
}
export const isJobTimeoutError = (u: unknown): u is JobTimeoutError => hasBrand(u, 'JobTimeoutError');
