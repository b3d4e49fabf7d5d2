/**
 * A fake `fetch` whose answers arrive in the virtual time of a TestScheduler, and a driver that
 * advances that virtual time while letting the promises `fetch` returns settle in between.
 */
import { TestScheduler } from 'rxjs/testing';
import { expect } from 'chai';
import type { FetchInit, FetchLike } from '../../lib/http/fetch-answer.js';

export interface Reply {
  readonly status?: number;
  readonly body?: string | object;
  readonly headers?: Record<string, string>;
  /** Virtual milliseconds before the answer arrives. Default 0. */
  readonly delayMs?: number;
}

/** What a handler may return: an answer, a network failure, or `'hang'` (never answers). */
export type Outcome = Reply | Error | 'hang';

export interface Call {
  readonly url: string;
  readonly init: FetchInit;
  /** Virtual time the request was sent. */
  readonly at: number;
  readonly method: string;
  readonly path: string;
  readonly body: string | undefined;
  header(name: string): string | undefined;
}

export function newScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => {
    expect(actual).to.deep.equal(expected);
  });
}

export class FakeFetch {
  readonly calls: Call[] = [];
  constructor(
    readonly scheduler: TestScheduler,
    private readonly handler: (call: Call, index: number) => Outcome,
  ) {}

  readonly fetch: FetchLike = (url, init) => {
    const u = new URL(url);
    const call: Call = {
      url,
      init,
      at: this.scheduler.now(),
      method: init.method,
      path: u.pathname + u.search,
      body: init.body,
      header: (name) => {
        const k = Object.keys(init.headers).find((h) => h.toLowerCase() === name.toLowerCase());
        return k === undefined ? undefined : init.headers[k];
      },
    };
    this.calls.push(call);
    const outcome = this.handler(call, this.calls.length - 1);
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(Object.assign(new Error('This operation was aborted'), { name: 'AbortError' }));
      if (init.signal.aborted) return onAbort();
      init.signal.addEventListener('abort', onAbort, { once: true });
      if (outcome === 'hang') return;
      if (outcome instanceof Error) return reject(outcome);
      const { status = 200, body = '', headers = {}, delayMs = 0 } = outcome;
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      this.scheduler.schedule(() => {
        if (init.signal.aborted) return;
        // A real WHATWG Response (Node 20's), so header and body handling is the real one.
        resolve(new Response(status === 204 || status === 304 ? null : text, { status, headers }));
      }, delayMs);
    });
  };
}

/** Lets pending promise callbacks (and Response body reads) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

/**
 * Advances virtual time to `toMs`, running each due action in order and letting promises settle
 * after each one.
 */
export async function advance(scheduler: TestScheduler, toMs: number): Promise<void> {
  for (;;) {
    await settle();
    const next = scheduler.actions[0];
    if (!next || next.delay > toMs) break;
    scheduler.maxFrames = next.delay;
    scheduler.flush();
  }
  scheduler.frame = Math.max(scheduler.frame, toMs);
}

/** Records what an observable did, with virtual times. */
export interface Recording<T> {
  values: T[];
  error: unknown;
  errorAt: number | undefined;
  completedAt: number | undefined;
}

export function record<T>(scheduler: TestScheduler, source: import('rxjs').Observable<T>): { rec: Recording<T>; sub: import('rxjs').Subscription } {
  const rec: Recording<T> = { values: [], error: undefined, errorAt: undefined, completedAt: undefined };
  const sub = source.subscribe({
    next: (v) => rec.values.push(v),
    error: (e) => {
      rec.error = e;
      rec.errorAt = scheduler.now();
    },
    complete: () => {
      rec.completedAt = scheduler.now();
    },
  });
  return { rec, sub };
}

export const KEY = 'live_s3cr3t_KEY_é✓';
