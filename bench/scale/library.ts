/**
 * The library's contenders of the scale benchmark: one AsyncJob per job, subscribed once, polled at
 * the same fixed interval as the baseline (so both send the same requests); with the platform's
 * global fetch (the client's default on Node 20, and what the baseline uses) and with cross-fetch
 * (the client's fallback where there is no platform fetch); and with the opt-in Node transport of
 * `nucleus-rx/node` (`createNodeFetch`: node:http with a keep-alive agent). Each with the client's
 * default cap on requests in flight, and (`uncapped`) without it.
 * `shared-100` is one job with 100 subscribers: sharing means one request per tick.
 */
import { fetch as crossFetch } from 'cross-fetch';
import { isRight } from 'fp-ts/lib/Either.js';
import { BehaviorSubject, type Subscription } from 'rxjs';
import { AsyncJob } from '../../lib/async-job.js';
import { JobInfo } from '../../lib/codecs/job.js';
import type { FetchLike } from '../../lib/http/fetch-answer.js';
import type { JobSnapshot } from '../../lib/job-snapshot.js';
import { NucleusClient } from '../../lib/nucleus-client.js';
import { createNodeFetch } from '../../lib/node/node-fetch.js';
import type { Watching } from './measure.js';
import { staggered } from './stagger.js';

type Start = (base: string, apiKey: string, infos: readonly unknown[], intervalMs: number, spread: boolean) => Watching;

function decodeInfo(u: unknown): JobInfo {
  const r = JobInfo.decode(u);
  if (!isRight(r)) throw new Error('bad job info');
  return r.right;
}

function watchWith(makeFetch: () => FetchLike, subscribersPerJob: number, jobLimit?: number, maxConcurrentRequests?: number): Start {
  return (base, apiKey, infos, intervalMs, spread) => {
    let requests = 0;
    let inFlight = 0;
    const landed = (): void => void inFlight--;
    const fetchImpl = makeFetch();
    const counting: FetchLike = (url, init) => {
      requests++;
      inFlight++;
      const sent = fetchImpl(url, init);
      sent.then(landed, landed);
      return sent;
    };
    const client = new NucleusClient({ apiKey, endpoint: base, fetch: counting, maxConcurrentRequests, polling: { policy: () => intervalMs } });
    const subscriptions: Subscription[] = [];
    // Always given (so the loaded figure pays for it too); `hold` pauses every job.
    const pause$ = new BehaviorSubject(false);
    const jobs = infos.slice(0, jobLimit ?? infos.length).map((raw) => new AsyncJob(decodeInfo(raw), client, { ...client.polling, pause$ }));
    const starts = staggered(jobs.length, intervalMs, spread, (i) => {
      for (let k = 0; k < subscribersPerJob; k++) {
        let last: JobSnapshot | undefined;
        subscriptions.push(jobs[i]!.subscribe({ next: (s) => (last = s), error: () => undefined, complete: () => void last }));
      }
    });
    return {
      requests: () => requests,
      inFlight: () => inFlight,
      hold: () => pause$.next(true),
      stop: async () => {
        starts.cancel();
        for (const s of subscriptions) s.unsubscribe();
      },
    };
  };
}

const globalFetch = globalThis.fetch as unknown as FetchLike;

/** The cap of the capped contenders: `--cap N` of main.ts (passed down as `BENCH_CAP`), else the client's default. */
const cap = process.env['BENCH_CAP'] === undefined ? undefined : Number(process.env['BENCH_CAP']);

export const contenders: Record<string, Start> = {
  'library (cross-fetch)': watchWith(() => crossFetch as unknown as FetchLike, 1, undefined, cap),
  'library (global fetch)': watchWith(() => globalFetch, 1, undefined, cap),
  'library (node http)': watchWith(() => createNodeFetch(), 1, undefined, cap),
};

/**
 * The same without the client's cap on requests in flight (`maxConcurrentRequests: Infinity`), as the
 * library was before the cap: what the cap changes, side by side. Run only when named with `--only`.
 */
export const uncapped: Record<string, Start> = {
  'library (cross-fetch) uncapped': watchWith(() => crossFetch as unknown as FetchLike, 1, undefined, Infinity),
  'library (global fetch) uncapped': watchWith(() => globalFetch, 1, undefined, Infinity),
  'library (node http) uncapped': watchWith(() => createNodeFetch(), 1, undefined, Infinity),
};

/** One job, 100 subscribers. */
export const shared100: Start = watchWith(() => globalFetch, 100, 1);
