/**
 * One HTTP exchange, modelled on rxjs `fromFetch` but without an Observable of its own (the
 * transport runs thousands at once, and each Observable layer costs subscriber objects per request):
 * one `fetch` with its own `AbortController`, the whole body read as text, the outcome handed to a
 * callback once. Cancelling before the answer aborts the request; the per-request timeout (a
 * shared {@link Deadlines} list) aborts it too and fails with `RequestTimeoutError`. No answer at all
 * (network error) fails with `ConnectionError`. Every HTTP status is an answer: judging it is the
 * caller's business.
 */
import { ConnectionError, RequestTimeoutError } from '../errors.js';
import type { Deadlines } from './deadlines.js';

/** The part of `fetch` nucleus-rx uses: inject any WHATWG-compatible implementation. */
export type FetchLike = (url: string, init: FetchInit) => Promise<FetchResponse>;

export interface FetchInit {
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: string | undefined;
  readonly redirect?: 'manual' | 'follow' | 'error';
  readonly signal: AbortSignal;
}

/** The part of a WHATWG `Response` nucleus-rx reads. */
export interface FetchResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** A complete answer: status, response headers, body text. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  readonly text: string;
}

export interface FetchAnswerRequest {
  readonly fetch: FetchLike;
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: string | undefined;
  /** `manual` where the key is sent, so a redirect cannot carry it to another host. */
  readonly redirect?: 'manual' | 'follow';
  /** What errors name the request by: the route, never the full URL with its query. */
  readonly route: string;
  /** The per-attempt timeout (headers and body included); `undefined` for none. */
  readonly deadlines: Deadlines | undefined;
  /** Cleans a network error before it is kept as a `cause` (drops anything that would leak the key). */
  readonly sanitizeCause: (error: unknown) => unknown;
}

/**
 * Sends the request; `done` is called once, with the answer or with the typed error, and never
 * after the returned cancel function was called (which aborts the fetch if it is still running).
 *
 * @example
 * ```ts
 * const cancel = fetchAnswer({ fetch, url, method: 'GET', headers: {}, route: 'job/j1', deadlines, sanitizeCause: (e) => e }, (ok, result) =>
 *   console.log(ok ? (result as HttpAnswer).status : result),
 * );
 * ```
 */
export function fetchAnswer(request: FetchAnswerRequest, done: (ok: boolean, result: unknown) => void): () => void {
  const { method, route, deadlines, sanitizeCause } = request;
  const controller = new AbortController();
  // Set once the exchange is over (answered, failed, timed out or cancelled): late settlements are
  // ignored and cancelling does not abort a finished request.
  let settled = false;
  const finish = (ok: boolean, result: unknown): void => {
    if (settled) return;
    settled = true;
    if (deadline) deadlines!.remove(deadline);
    done(ok, result);
  };
  const deadline = deadlines?.add(() => {
    controller.abort();
    finish(false, new RequestTimeoutError({ method, route, timeoutMs: deadlines.ms }));
  });

  let fetched: Promise<FetchResponse>;
  try {
    // Called unbound: a browser's `fetch` throws "Illegal invocation" when `this` is another object.
    const fetchFn = request.fetch;
    // `Promise.resolve` returns a native promise as is; anything else cannot throw from `.then` below.
    fetched = Promise.resolve(
      fetchFn(request.url, {
        method,
        headers: request.headers,
        body: request.body,
        redirect: request.redirect ?? 'follow',
        signal: controller.signal,
      }),
    );
  } catch (e) {
    // A fetch that throws synchronously (bad arguments) is no different from a rejected one.
    fetched = Promise.reject(e);
  }
  const fail = (error: unknown): void => finish(false, settled ? undefined : new ConnectionError({ method, route, cause: sanitizeCause(error) }));
  fetched.then((response) => {
    // A `text()` that throws rather than rejects must fail the request too: thrown here, it would
    // only reject the promise `then` returns, which nobody handles.
    let text: Promise<string>;
    try {
      text = Promise.resolve(response.text());
    } catch (e) {
      return fail(e);
    }
    text.then((body) => finish(true, { status: response.status, headers: response.headers, text: body }), fail);
  }, fail);

  return () => {
    if (deadline) deadlines!.remove(deadline);
    if (!settled) {
      settled = true;
      controller.abort();
    }
  };
}
