/**
 * AsyncJob: a Nucleus async job as an Observable of {@link JobSnapshot}.
 */
import type { SchedulerLike, Subscriber, Subscription } from 'rxjs';
import {
  Observable,
  asyncScheduler,
  concatMap,
  defer,
  firstValueFrom,
  lastValueFrom,
  map,
  take,
  toArray,
} from './rx.js';
import type { JobInfo, JobStatus } from './codecs/job.js';
import { JobTimeoutError } from './errors.js';
import type { JobApi } from './job-api.js';
import { parseJobErrorLine, type JobErrorRecord } from './job-error-record.js';
import { registerSnapshot } from './job-registry.js';
import { isTerminal, sameSnapshot, toSnapshot, type JobSnapshot } from './job-snapshot.js';
import { liveErrors$ } from './live-errors.js';
import { completeOrThrow, type CompleteOrThrowOptions } from './operators/complete-or-throw.js';
import { defaultErrorsPolicy, defaultPollingPolicy } from './policies/defaults.js';
import { PollLoop } from './poll-loop.js';
import { safeDelay } from './safe-delay.js';
import type { PollingPolicy } from './polling-policy.js';

export interface AsyncJobOptions {
  /** Where timers run and what clock stamps snapshots. Default `asyncScheduler`; tests pass a TestScheduler. */
  readonly scheduler?: SchedulerLike;
  /** When to poll the status next. Default {@link defaultPollingPolicy} (progress-aware). */
  readonly policy?: PollingPolicy;
  /** When live `errors$` fetches the errors next. Default {@link defaultErrorsPolicy} (exponential backoff). */
  readonly errorsPolicy?: PollingPolicy;
  /**
   * Milliseconds after which a polling loop that has not seen a terminal status errors with
   * `JobTimeoutError`. Counted from the start of the loop (the first subscriber), paused time included.
   * `Infinity` (like `undefined`) means no limit.
   */
  readonly maxWait?: number;
  /**
   * While it last emitted `true`, no poll is started (a request already in flight finishes and is
   * delivered); on `false` the loop polls at once, or when the server's `Retry-After` after a failed
   * poll elapses if that is later. Subscribing while paused waits for the resume.
   */
  readonly pause$?: Observable<boolean>;
}

export interface ErrorsOptions {
  /**
   * Follow a running job: fetch the errors on the `errorsPolicy` schedule (not while the job's
   * `pause$` says paused), emit only lines not emitted before (each occurrence once, identical lines
   * counted), and complete after one last fetch once the job is terminal.
   */
  readonly live?: boolean;
}

/**
 * A Nucleus async job. It *is* an `Observable<JobSnapshot>`: subscribing polls `job/{id}` at once,
 * then on the polling policy's schedule, emits a snapshot whenever something changed, and completes
 * right after the first terminal one. A failed job does not error the stream; pipe it through
 * {@link completeOrThrow} for that.
 *
 * Subscribers share one polling loop; a late one gets the latest snapshot at once. When the last one
 * unsubscribes the timer is cleared and the request in flight aborted; a later subscriber starts a
 * new loop. Once a terminal snapshot has been seen (by the stream or by `status()`), every later
 * subscriber gets it at once, followed by completion, without any request: a finished job never
 * changes (`status()` still asks the server).
 * After an error (a permanent failure, `maxWait`) the next subscriber starts afresh.
 *
 * Transient failures (see `isTransientError`: no answer, 429, 500, 502, 503, 504...) do not end
 * the stream: they are retried on the policy's schedule, which sees the failure count and the
 * server's `Retry-After`. Permanent ones (401, 404, a
 * malformed answer) error it.
 *
 * @example
 * ```ts
 * const job = await firstValueFrom(client.getJob('job_c19xcf9mkws46gah0000'));
 * job.pipe(progress()).subscribe((p) => bar.set(p));
 * const final = await job.sleepUntilComplete(); // rejects with JobError on Errored_*
 * ```
 */
export class AsyncJob extends Observable<JobSnapshot> {
  readonly jobId: string;
  readonly jobType: string;
  /** ISO-8601 creation time, as the server sent it. */
  readonly createdAt: string;

  readonly #api: JobApi;
  readonly #scheduler: SchedulerLike;
  readonly #policy: PollingPolicy;
  readonly #errorsPolicy: PollingPolicy;
  readonly #maxWait: number | undefined;
  readonly #pause$: Observable<boolean> | undefined;
  #lastKnownStatus: string;
  #latest: JobSnapshot | undefined;
  #final: JobSnapshot | undefined;
  // Requests to `job/{id}` (and its info) numbered as sent, and the numbers behind `#latest` and
  // `#lastKnownStatus`: an answer to an older request never replaces a newer one's.
  #sent = 0;
  #latestSeq = 0;
  #statusSeq = 0;

  constructor(info: JobInfo, api: JobApi, options: AsyncJobOptions = {}) {
    let join: ((subscriber: Subscriber<JobSnapshot>) => () => void) | undefined;
    // A job known to be over never changes: replay its terminal snapshot rather than poll again.
    super((subscriber) => {
      const final = this.#final;
      if (!final) return (join ??= shareLatest(() => this.#poll$()))(subscriber);
      subscriber.next(final);
      subscriber.complete();
      return undefined;
    });
    this.jobId = info.jobId;
    this.jobType = info.jobType;
    this.createdAt = info.createdAt;
    this.#lastKnownStatus = info.lastKnownStatus;
    this.#api = api;
    this.#scheduler = options.scheduler ?? asyncScheduler;
    this.#policy = options.policy ?? defaultPollingPolicy;
    this.#errorsPolicy = options.errorsPolicy ?? defaultErrorsPolicy;
    if (options.maxWait !== undefined && !(options.maxWait >= 0)) {
      throw new RangeError('AsyncJob: maxWait must be a non-negative number of milliseconds');
    }
    this.#maxWait = options.maxWait;
    this.#pause$ = options.pause$;
  }

  /** The status last seen: from the job info until a snapshot arrives, then the latest snapshot's. */
  get lastKnownStatus(): string {
    return this.#lastKnownStatus;
  }

  /** The latest snapshot observed by the stream or by `status()`, if any. */
  get latest(): JobSnapshot | undefined {
    return this.#latest;
  }

  /** The polling policy this job uses. */
  get policy(): PollingPolicy {
    return this.#policy;
  }

  /** The scheduler this job's timers run on. */
  get scheduler(): SchedulerLike {
    return this.#scheduler;
  }

  // -------------------------------------------------------------------------------------------
  // streams
  // -------------------------------------------------------------------------------------------

  /**
   * The job's error lines, typed, one record each, then completes. Cold: each subscription fetches.
   * With `{ live: true }` it follows the job until it is terminal (see {@link ErrorsOptions}).
   *
   * @example
   * ```ts
   * job.errors$({ live: true }).subscribe((e) => console.warn(e.referenceId, e.message));
   * ```
   */
  errors$(options: ErrorsOptions = {}): Observable<JobErrorRecord> {
    const fetch = (): Observable<readonly string[]> => defer(() => this.#api.getErrors(this.jobId)).pipe(take(1));
    if (!options.live) return fetch().pipe(concatMap((lines) => lines.map(parseJobErrorLine)));
    return liveErrors$({ jobId: this.jobId, fetch, snapshots$: this, policy: this.#errorsPolicy, scheduler: this.#scheduler, pause$: this.#pause$ });
  }

  // -------------------------------------------------------------------------------------------
  // promises, for people coming from the Python client
  // -------------------------------------------------------------------------------------------

  /** One fresh snapshot (one `GET job/{id}`), like the Python client's `status()`. */
  status(): Promise<JobSnapshot> {
    return firstValueFrom(
      defer(() => {
        const seq = ++this.#sent;
        return this.#api.getStatus(this.jobId).pipe(
          take(1),
          map((s) => this.#observe(s, seq)),
        );
      }),
    );
  }

  /** The job's error records (the 10,000 most recent lines), like the Python client's `errors()`. */
  errors(): Promise<JobErrorRecord[]> {
    return firstValueFrom(this.errors$().pipe(toArray()));
  }

  /** Fresh job info (`GET job/{id}/info`); updates `lastKnownStatus`. */
  info(): Promise<JobInfo> {
    return firstValueFrom(
      defer(() => {
        const seq = ++this.#sent;
        return this.#api.getInfo(this.jobId).pipe(
          take(1),
          map((i) => {
            if (seq >= this.#statusSeq) {
              this.#statusSeq = seq;
              this.#lastKnownStatus = i.lastKnownStatus;
            }
            return i;
          }),
        );
      }),
    );
  }

  /**
   * Waits for a terminal status and resolves with the final snapshot; rejects with `JobError` on a
   * failed status (carrying its first error records) and `JobCancelledError` on `Cancelled`. Unlike
   * the Python client, a `Queued` job is waited for too.
   */
  sleepUntilComplete(options?: CompleteOrThrowOptions): Promise<JobSnapshot> {
    return lastValueFrom(this.pipe(completeOrThrow(options)));
  }

  /** What `JSON.stringify` shows: the job's identity, never the client behind it. */
  toJSON(): Record<string, unknown> {
    return { jobId: this.jobId, jobType: this.jobType, createdAt: this.createdAt, lastKnownStatus: this.#lastKnownStatus };
  }

  // -------------------------------------------------------------------------------------------
  // the polling loop
  // -------------------------------------------------------------------------------------------

  /** Records the answer to request number `seq`; returns its snapshot. */
  #observe(status: JobStatus, seq: number): JobSnapshot {
    const snapshot = registerSnapshot(toSnapshot(this.jobId, status, this.#scheduler.now()), this);
    // A `status()` answered after a newer poll (or the reverse) must not move these backwards.
    if (seq >= this.#latestSeq) {
      this.#latestSeq = seq;
      this.#latest = snapshot;
    }
    if (seq >= this.#statusSeq) {
      this.#statusSeq = seq;
      this.#lastKnownStatus = snapshot.status;
    }
    if (isTerminal(snapshot) && this.#final === undefined) this.#final = snapshot;
    return snapshot;
  }

  /**
   * One polling loop (on {@link PollLoop}); `shareLatest` runs one per connection. What it does, in
   * operator terms: wait for the pause to end, poll (first answer only), record, emit on change,
   * complete after a terminal snapshot, retry transient failures and repeat on the policy's delay,
   * error on `maxWait`.
   */
  #poll$(): Observable<JobSnapshot> {
    return new Observable<JobSnapshot>((subscriber) => {
      const scheduler = this.#scheduler;
      let emitted: JobSnapshot | undefined;
      let seq = 0;
      const loop: PollLoop<JobStatus> = new PollLoop(subscriber, {
        scheduler,
        policy: this.#policy,
        jobId: this.jobId,
        pause$: this.#pause$,
        send: () => {
          seq = ++this.#sent;
          return this.#api.getStatus(this.jobId);
        },
        answered: (status) => {
          const snapshot = this.#observe(status, seq);
          loop.succeeded(snapshot);
          if (emitted === undefined || !sameSnapshot(emitted, snapshot)) {
            emitted = snapshot;
            subscriber.next(snapshot);
          }
          if (isTerminal(snapshot)) subscriber.complete();
          else loop.next();
        },
        empty: () => loop.next(),
      });
      if (!subscriber.closed) loop.now();

      const maxWait = this.#maxWait;
      // Infinity means no limit (timers would fire it at once); huge values are capped by safeDelay.
      const maxWaitTimer =
        maxWait !== undefined && Number.isFinite(maxWait) && !subscriber.closed
          ? scheduler.schedule(() => {
              subscriber.error(new JobTimeoutError({ jobId: this.jobId, maxWaitMs: maxWait, lastSnapshot: this.#latest }));
            }, safeDelay(maxWait))
          : undefined;
      return () => {
        loop.unsubscribe();
        maxWaitTimer?.unsubscribe();
      };
    });
  }
}

/** The subscribers of one connection, its latest value (replayed to late subscribers), the source's subscription. */
interface Connection<T> {
  readonly subscribers: Subscriber<T>[];
  latest: T | undefined;
  loop: Subscription | undefined;
}

/**
 * A subscribe function sharing one subscription to `start()` between its subscribers: what
 * `share({ connector: () => new ReplaySubject(1), resetOnError: true, resetOnRefCountZero: true })`
 * does, hand-written because that costs about 1.8 KB per watched job (docs/performance.md, "Client
 * cost at scale"). The first subscriber connects, a late one gets the latest value at once, the
 * last one leaving disconnects; after an error or completion the next subscriber connects afresh.
 */
function shareLatest<T>(start: () => Observable<T>): (subscriber: Subscriber<T>) => () => void {
  let current: Connection<T> | undefined;
  return (subscriber) => {
    let c = current;
    if (c) {
      c.subscribers.push(subscriber);
      if (c.latest !== undefined) subscriber.next(c.latest);
    } else {
      const conn: Connection<T> = (c = current = { subscribers: [subscriber], latest: undefined, loop: undefined });
      // A copy: subscribers may leave (or join) while being notified.
      const each = (notify: (s: Subscriber<T>) => void): void => conn.subscribers.slice().forEach(notify);
      const end = (): void => {
        if (current === conn) current = undefined;
      };
      conn.loop = start().subscribe({
        next: (value) => {
          conn.latest = value;
          each((s) => s.next(value));
        },
        error: (e: unknown) => {
          end();
          each((s) => s.error(e));
        },
        complete: () => {
          end();
          each((s) => s.complete());
        },
      });
    }
    const conn = c;
    return () => {
      const i = conn.subscribers.indexOf(subscriber);
      if (i >= 0) conn.subscribers.splice(i, 1);
      if (conn.subscribers.length === 0) {
        if (current === conn) current = undefined;
        conn.loop?.unsubscribe();
      }
    };
  };
}

/** Whether a value is an AsyncJob (of this copy of the library). */
export function isAsyncJob(u: unknown): u is AsyncJob {
  return u instanceof AsyncJob;
}
