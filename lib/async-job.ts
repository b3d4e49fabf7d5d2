/**
 * AsyncJob: a Nucleus async job as an Observable of {@link JobSnapshot}.
 */
import {
  Observable,
  type Subscriber,
  Subscription,
  asyncScheduler,
  defer,
  firstValueFrom,
  lastValueFrom,
  map,
  mergeMap,
  take,
  tap,
  toArray,
  type SchedulerLike,
} from 'rxjs';
import type { JobInfo, JobStatus } from './codecs/job.js';
import { JobTimeoutError, isTransientError } from './errors.js';
import type { JobApi } from './job-api.js';
import { parseJobErrorLine, type JobErrorRecord } from './job-error-record.js';
import { registerSnapshot } from './job-registry.js';
import { isTerminal, sameSnapshot, toSnapshot, type JobSnapshot } from './job-snapshot.js';
import { liveErrors$ } from './live-errors.js';
import { completeOrThrow, type CompleteOrThrowOptions } from './operators/complete-or-throw.js';
import { defaultErrorsPolicy, defaultPollingPolicy } from './policies/defaults.js';
import { PollTracker } from './poll-tracker.js';
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
   * delivered); on `false` the loop polls at once. Subscribing while paused waits for the resume.
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
    if (!options.live) return fetch().pipe(mergeMap((lines) => lines.map(parseJobErrorLine)));
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
          tap((i) => {
            if (seq < this.#statusSeq) return;
            this.#statusSeq = seq;
            this.#lastKnownStatus = i.lastKnownStatus;
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
   * One polling loop; `shareLatest` runs one per connection. Hand-written (one closure, one timer, one
   * request in flight) rather than an operator chain: a client may watch thousands of jobs at once,
   * and each operator would cost subscriber objects per job (docs/performance.md, "Client cost at
   * scale"). What it does, in operator terms: wait for the pause to end, poll (first answer only),
   * record, emit on change, complete after a terminal snapshot, retry transient failures and repeat
   * on the policy's delay (a 0 ms delay still goes through the scheduler), error on `maxWait`.
   */
  #poll$(): Observable<JobSnapshot> {
    return new Observable<JobSnapshot>((subscriber) => {
      const scheduler = this.#scheduler;
      const tracker = new PollTracker(this.jobId);
      let emitted: JobSnapshot | undefined;
      let paused = false;
      // A poll is due: as soon as the pause ends, or when `timer` fires.
      let due = false;
      let timer: Subscription | undefined;
      let request: Subscription | undefined;
      let pauseSubscription: Subscription | undefined;
      let maxWaitTimer: Subscription | undefined;

      const wait = (delayMs: number, immediate: boolean): void => {
        due = true;
        if (paused) return;
        if (immediate) poll();
        else timer = scheduler.schedule(poll, delayMs);
      };

      const next = (): void => {
        if (subscriber.closed) return;
        let delayMs: number;
        try {
          delayMs = safeDelay(this.#policy(tracker.state(scheduler.now())));
        } catch (e) {
          subscriber.error(e);
          return;
        }
        wait(delayMs, false);
      };

      const answered = (status: JobStatus, seq: number): void => {
        const snapshot = this.#observe(status, seq);
        tracker.succeeded(snapshot);
        if (emitted === undefined || !sameSnapshot(emitted, snapshot)) {
          emitted = snapshot;
          subscriber.next(snapshot);
        }
        if (isTerminal(snapshot)) subscriber.complete();
        else next();
      };

      const failed = (error: unknown): void => {
        if (!isTransientError(error)) return subscriber.error(error);
        tracker.failed(error);
        next();
      };

      const poll = (): void => {
        due = false;
        timer = undefined;
        if (subscriber.closed) return;
        tracker.sent(scheduler.now());
        const seq = ++this.#sent;
        // Only the first notification counts (the source may answer synchronously, before
        // `subscribe` returns, or keep emitting); the request is released once settled.
        let settled = false;
        let sub: Subscription | undefined;
        const settle = (): boolean => {
          if (settled) return false;
          settled = true;
          if (request === sub) request = undefined;
          return true;
        };
        try {
          sub = this.#api.getStatus(this.jobId).subscribe({
            next: (status) => {
              if (!settle()) return;
              answered(status, seq);
              sub?.unsubscribe();
            },
            error: (e: unknown) => (settle() ? failed(e) : undefined),
            complete: () => (settle() ? next() : undefined),
          });
        } catch (e) {
          if (settle()) failed(e);
          return;
        }
        if (settled) sub.unsubscribe();
        else request = sub;
      };

      if (this.#pause$) {
        pauseSubscription = this.#pause$.subscribe({
          next: (p) => {
            if (p === paused) return;
            paused = p;
            if (p) {
              timer?.unsubscribe();
              timer = undefined;
            } else if (due) poll();
          },
          error: (e: unknown) => subscriber.error(e),
        });
      }
      if (!subscriber.closed) wait(0, true);

      const maxWait = this.#maxWait;
      // Infinity means no limit (timers would fire it at once); huge values are capped by safeDelay.
      if (maxWait !== undefined && Number.isFinite(maxWait) && !subscriber.closed) {
        maxWaitTimer = scheduler.schedule(() => {
          subscriber.error(new JobTimeoutError({ jobId: this.jobId, maxWaitMs: maxWait, lastSnapshot: this.#latest }));
        }, safeDelay(maxWait));
      }
      return () => {
        pauseSubscription?.unsubscribe();
        timer?.unsubscribe();
        request?.unsubscribe();
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
