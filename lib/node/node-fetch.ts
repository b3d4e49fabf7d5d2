/**
 * An opt-in Node transport: a {@link FetchLike} over `node:http` / `node:https` with one keep-alive
 * `Agent` per protocol. It does what nucleus-rx needs of `fetch` and no more (no streams, no
 * `Request` objects, no decompression: it sends no `accept-encoding`), at a fraction of the CPU of
 * Node's global fetch when thousands of jobs are watched at once (docs/performance.md, "Client cost
 * at scale"). It behaves like fetch where the library looks: it resolves once the status and headers
 * are in, `text()` gives the whole body as UTF-8, it rejects with a `TypeError('fetch failed')`
 * (the network error as its `cause`) when there is no answer, and with the signal's reason when the
 * signal aborts (the request and its socket are destroyed).
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { FetchInit, FetchLike, FetchResponse } from '../http/fetch-answer.js';

export interface NodeFetchOptions {
  /** Agent for `http:` URLs; default a keep-alive agent of this fetch's own. */
  readonly httpAgent?: http.Agent;
  /** Agent for `https:` URLs; default a keep-alive agent of this fetch's own. */
  readonly httpsAgent?: https.Agent;
  /**
   * How long an idle keep-alive socket of the default agents is kept, in ms (default 4000, as
   * undici). Under the usual server timeout (Node's 5 s), so a request rarely takes a socket the
   * server is closing.
   */
  readonly keepAliveMs?: number;
  /** Redirects followed at most under `redirect: 'follow'` (default 20, as fetch). */
  readonly maxRedirects?: number;
}

/** A {@link FetchLike} with its agents; `destroy()` closes their sockets (idle and in use). */
export interface NodeFetch extends FetchLike {
  destroy(): void;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Response headers as fetch's `Headers.get`: case-insensitive, repeated values joined by `, `. */
class AnswerHeaders {
  readonly #raw: http.IncomingHttpHeaders;
  constructor(raw: http.IncomingHttpHeaders) {
    this.#raw = raw;
  }
  get(name: string): string | null {
    const v = this.#raw[name.toLowerCase()];
    if (v === undefined) return null;
    return Array.isArray(v) ? v.join(', ') : v;
  }
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/**
 * Makes a fetch over `node:http`/`node:https` for `NucleusClient`'s `fetch` option (Node only:
 * import it from `nucleus-rx/node`).
 *
 * @example
 * ```ts
 * import { NucleusClient } from 'nucleus-rx';
 * import { createNodeFetch } from 'nucleus-rx/node';
 * const fetch = createNodeFetch();
 * const client = new NucleusClient({ apiKey, fetch });
 * // ... when done with the client:
 * fetch.destroy();
 * ```
 */
export function createNodeFetch(options: NodeFetchOptions = {}): NodeFetch {
  const keepAliveMs = options.keepAliveMs ?? 4000;
  // `timeout` on a keep-alive agent closes sockets idle that long; a request in use only gets a
  // 'timeout' event nobody listens to (the library's own deadline aborts slow requests).
  const httpAgent = options.httpAgent ?? new http.Agent({ keepAlive: true, timeout: keepAliveMs });
  const httpsAgent = options.httpsAgent ?? new https.Agent({ keepAlive: true, timeout: keepAliveMs });
  const maxRedirects = options.maxRedirects ?? 20;

  const send = (url: URL, init: FetchInit, redirects: number): Promise<FetchResponse> =>
    new Promise<FetchResponse>((resolve, reject) => {
      const { signal } = init;
      if (signal.aborted) return reject(abortReason(signal));
      const secure = url.protocol === 'https:';
      if (!secure && url.protocol !== 'http:') return reject(new TypeError(`fetch failed: unsupported protocol ${url.protocol}`));
      const headers: Record<string, string | number> = { ...init.headers };
      if (init.body !== undefined) headers['content-length'] = Buffer.byteLength(init.body);
      let req: http.ClientRequest;
      try {
        req = (secure ? https : http).request(url, { method: init.method, headers, agent: secure ? httpsAgent : httpAgent });
      } catch (e) {
        // Invalid header values and the like throw synchronously: a rejected fetch, as with fetch.
        return reject(new TypeError('fetch failed', { cause: e }));
      }
      // Until the body ends: an abort destroys the request and fails whichever promise is pending.
      let failBody: ((e: unknown) => void) | undefined;
      const onAbort = (): void => {
        const reason = abortReason(signal);
        req.destroy();
        reject(reason);
        failBody?.(reason);
      };
      const release = (): void => signal.removeEventListener('abort', onAbort);
      signal.addEventListener('abort', onAbort);
      req.on('error', (e) => {
        release();
        const error = new TypeError('fetch failed', { cause: e });
        reject(error);
        failBody?.(error);
      });
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        const location = res.headers.location;
        if (REDIRECTS.has(status) && location !== undefined && init.redirect !== 'manual') {
          res.resume();
          release();
          if (init.redirect === 'error') return reject(new TypeError('fetch failed: redirect mode is "error"'));
          if (redirects >= maxRedirects) return reject(new TypeError('fetch failed: redirect count exceeded'));
          let next: URL;
          try {
            next = new URL(location, url);
          } catch (e) {
            return reject(new TypeError('fetch failed: bad redirect location', { cause: e }));
          }
          // As fetch: 303 (and 301/302 after a POST) turn into a GET without body; credentials
          // never follow a redirect to another origin.
          const toGet = status === 303 ? init.method !== 'HEAD' : (status === 301 || status === 302) && init.method === 'POST';
          let nextHeaders = init.headers;
          if (next.origin !== url.origin || toGet) {
            nextHeaders = {};
            for (const [k, v] of Object.entries(init.headers)) {
              const key = k.toLowerCase();
              if (next.origin !== url.origin && (key === 'authorization' || key === 'cookie')) continue;
              if (toGet && (key === 'content-type' || key === 'content-length')) continue;
              nextHeaders[k] = v;
            }
          }
          const nextInit: FetchInit = { ...init, headers: nextHeaders, ...(toGet ? { method: 'GET', body: undefined } : {}) };
          return resolve(send(next, nextInit, redirects + 1));
        }
        const body = new Promise<string>((resolveBody, rejectBody) => {
          failBody = rejectBody;
          let text = '';
          let ended = false;
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => {
            ended = true;
            release();
            failBody = undefined;
            resolveBody(text);
          });
          // A connection cut mid-body: an `error` (ECONNRESET) on the response, and `close` in any
          // case; as undici, the body read fails with `TypeError('terminated')`.
          const cut = (e?: unknown): void => {
            if (ended) return;
            release();
            rejectBody(new TypeError('terminated', e === undefined ? undefined : { cause: e }));
          };
          res.on('error', cut);
          res.on('close', () => cut());
        });
        // Unread bodies must not surface as unhandled rejections; readers still see the failure.
        body.catch(() => undefined);
        resolve({ status, headers: new AnswerHeaders(res.headers), text: () => body });
      });
      req.end(init.body);
    });

  const nodeFetch = ((url: string, init: FetchInit): Promise<FetchResponse> => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch (e) {
      return Promise.reject(new TypeError('fetch failed: invalid URL', { cause: e }));
    }
    return send(parsed, init, 0);
  }) as NodeFetch;
  nodeFetch.destroy = () => {
    if (options.httpAgent === undefined) httpAgent.destroy();
    if (options.httpsAgent === undefined) httpsAgent.destroy();
  };
  return nodeFetch;
}
