/**
 * One HTTP exchange as a cold Observable, modelled on rxjs `fromFetch`: each subscription makes one
 * `fetch` with its own `AbortController`, reads the whole body as text, emits it once and completes.
 * Unsubscribing before the answer aborts the request; a per-request timeout (on the given
 * scheduler) aborts it too and errors with `RequestTimeoutError`. No answer at all (network error)
 * errors with `ConnectionError`. Every HTTP status is emitted: judging it is the caller's business.
 */
import { Observable, type SchedulerLike } from 'rxjs';
import { ConnectionError, RequestTimeoutError } from '../errors.js';
import { safeDelay } from '../safe-delay.js';

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
  /** Per attempt, headers and body included; `Infinity` or 0 for none. */
  readonly timeoutMs: number;
  readonly scheduler: SchedulerLike;
  /** Cleans a network error before it is kept as a `cause` (drops anything that would leak the key). */
  readonly sanitizeCause: (error: unknown) => unknown;
}

/**
 * @example
 * ```ts
 * fetchAnswer$({ fetch, url, method: 'GET', headers: {}, route: 'job/j1', timeoutMs: 30_000, scheduler: asyncScheduler, sanitizeCause: (e) => e })
 *   .subscribe((a) => console.log(a.status, a.text));
 * ```
 */
export function fetchAnswer$(request: FetchAnswerRequest): Observable<HttpAnswer> {
  const { method, route, timeoutMs, scheduler } = request;
  return new Observable<HttpAnswer>((subscriber) => {
    const controller = new AbortController();
    // Set once the exchange is over (answered, failed or timed out): late settlements are ignored
    // and teardown does not abort a finished request.
    let settled = false;

    const timeout =
      timeoutMs > 0 && Number.isFinite(timeoutMs)
        ? scheduler.schedule(() => {
            if (settled) return;
            settled = true;
            controller.abort();
            subscriber.error(new RequestTimeoutError({ method, route, timeoutMs }));
          }, safeDelay(timeoutMs))
        : undefined;

    let fetched: Promise<FetchResponse>;
    try {
      // Called unbound: a browser's `fetch` throws "Illegal invocation" when `this` is another object.
      const fetchFn = request.fetch;
      fetched = fetchFn(request.url, {
        method,
        headers: request.headers,
        body: request.body,
        redirect: request.redirect ?? 'follow',
        signal: controller.signal,
      });
    } catch (e) {
      // A fetch that throws synchronously (bad arguments) is no different from a rejected one.
      fetched = Promise.reject(e);
    }

    fetched
      .then((response) => response.text().then((text): HttpAnswer => ({ status: response.status, headers: response.headers, text })))
      .then(
        (answer) => {
          if (settled) return;
          settled = true;
          timeout?.unsubscribe();
          subscriber.next(answer);
          subscriber.complete();
        },
        (error: unknown) => {
          if (settled) return;
          settled = true;
          timeout?.unsubscribe();
          subscriber.error(new ConnectionError({ method, route, cause: request.sanitizeCause(error) }));
        },
      );

    return () => {
      timeout?.unsubscribe();
      if (!settled) {
        settled = true;
        controller.abort();
      }
    };
  });
}
