/**
 * AsyncJob: a Nucleus async job as an Observable of {@link JobSnapshot}.
 */
import type { SchedulerLike, Subscriber, Subscription, TeardownLogic } from 'rxjs';
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
import { ConfigurationError, JobTimeoutError } from './errors.js';
import type { JobApi, JobRequestOptions } from './job-api.js';
import { parseJobErrorLine, type JobErrorRecord } from './job-error-record.js';
import { registerSnapshot } from './job-registry.js';
import { isTerminal, phaseOf, sameSnapshot, toSnapshot, type JobSnapshot } from './job-snapshot.js';
import { liveErrors$ } from './live-errors.js';
import { completeOrThrow, type CompleteOrThrowOptions } from './operators/complete-or-throw.js';
import { defaultErrorsPolicy, defaultPollingPolicy } from './policies/defaults.js';
import { PollLoop } from './poll-loop.js';
import { safeDelay } from './safe-delay.js';
import type { PollingPolicy } from './polling-policy.js';

/** How the loops of a job ask: as polls, behind the requests someone waits on (one object for all). */
const POLL: JobRequestOptions = Object.freeze({ background: true });

/**
 * Whether the answer to request number `seq` replaces what the answer to `lastSeq` set. Requests are
 * numbered when made and a later one says something newer, except that under the client's cap a
 * poll waits behind the requests someone awaits, so a `status()` made after it may be sent first. A
 * terminal answer is never older than one that is not, and nothing moves a job back from one (the
 * number of a terminal answer taken out of order is kept: later ones that are not terminal lose
 * anyway).
 */
function supersedes(seq: number, lastSeq: number, over: boolean, last = ''): boolean {
  const wasOver = isTerminal(phaseOf(last));
  return seq >= lastSeq ? over || !wasOver : over && !wasOver;
}

/**
 * Throws a `ConfigurationError` for options a job could not run with; a client checks its `polling`
 * defaults with it when it is made, rather than after a job has started on the server.
 */
export function checkJobOptions(options: AsyncJobOptions, where = 'AsyncJob: '): void {
  const { maxWait, policy, errorsPolicy, scheduler, pause$ } = options;
  const refuse = (problem: string): never => {
    throw new ConfigurationError(where + problem);
  };
  if (maxWait !== undefined && !(typeof maxWait === 'number' && maxWait >= 0)) refuse('maxWait must be a non-negative number of milliseconds or Infinity');
  if (typeof (policy ?? String) !== 'function') refuse('policy must be a function');
  if (typeof (errorsPolicy ?? String) !== 'function') refuse('errorsPolicy must be a function');
  if (typeof (scheduler ?? asyncScheduler).schedule !== 'function') refuse('scheduler must be an rxjs SchedulerLike');
  if (pause$ !== undefined && typeof pause$?.subscribe !== 'function') refuse('pause$ must be an Observable');
}

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
   *
   * A state, not a sequence per job: every polling loop given the same Observable (the jobs of a
   * client, live `errors$`) shares one subscription to it, made by the first loop and ended by the
   * last; a loop joining later starts from its latest `true` (lib/pause-hub.ts).
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

  // The polling loop shared by the current subscribers, if any.
  #connection: Connection | undefined;

  constructor(info: JobInfo, api: JobApi, options: AsyncJobOptions = {}) {
    // A closure over the job itself, not a function shared through `this`: a job seen through a
    // Proxy (Vue's reactive()) or an Object.create() copy still subscribes the job.
    super((subscriber) => this.#join(subscriber));
    this.jobId = info.jobId;
    this.jobType = info.jobType;
    this.createdAt = info.createdAt;
    this.#lastKnownStatus = info.lastKnownStatus;
    this.#api = api;
    this.#scheduler = options.scheduler ?? asyncScheduler;
    this.#policy = options.policy ?? defaultPollingPolicy;
    this.#errorsPolicy = options.errorsPolicy ?? defaultErrorsPolicy;
    checkJobOptions(options);
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
    const { live } = options;
    const fetch = (): Observable<readonly string[]> => defer(() => this.#api.getErrors(this.jobId, live ? POLL : undefined)).pipe(take(1));
    if (!live) return fetch().pipe(concatMap((lines) => lines.map(parseJobErrorLine)));
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
            this.#noteStatus(seq, i.lastKnownStatus);
            return i;
          }),
        );
      }),
    );
  }

  /**
   * Waits for a terminal status and resolves with the final snapshot; rejects with `JobError` on a
   * failed status (carrying its first error records) and `JobCancelledError` on `Cancelled`. Unlike
   * the Python client, a `Queued` job is waited for too. A bad option rejects (never throws) with a
   * `ConfigurationError`, before any request.
   */
  async sleepUntilComplete(options?: CompleteOrThrowOptions): Promise<JobSnapshot> {
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
    // The snapshot's phase, computed once by `toSnapshot`, serves both checks.
    const over = isTerminal(snapshot);
    if (supersedes(seq, this.#latestSeq, over, this.#latest?.status)) {
      this.#latestSeq = seq;
      this.#latest = snapshot;
    }
    this.#noteStatus(seq, snapshot.status, over);
    if (over && this.#final === undefined) this.#final = snapshot;
    return snapshot;
  }

  #noteStatus(seq: number, status: string, over = isTerminal(phaseOf(status))): void {
    if (supersedes(seq, this.#statusSeq, over, this.#lastKnownStatus)) {
      this.#statusSeq = seq;
      this.#lastKnownStatus = status;
    }
  }

  /**
   * Subscribers share one connection (one polling loop); a late one gets the latest snapshot at once;
   * the last one leaving stops the loop; after an error or completion the next one connects afresh.
   * What `share({ connector: () => new ReplaySubject(1) })` over an operator chain would do,
   * hand-written because that costs kilobytes per watched job (docs/performance.md, "Client cost at
   * scale"). A job known to be over never changes: its terminal snapshot is replayed instead.
   */
  #join(subscriber: Subscriber<JobSnapshot>): TeardownLogic {
    const final = this.#final;
    if (final) {
      subscriber.next(final);
      subscriber.complete();
      return undefined;
    }
    let connection = this.#connection;
    if (connection) connection.add(subscriber);
    else {
      connection = this.#connection = new AsyncJob.#Connection(this, subscriber);
      // A scheduler or a pause$ that throws ends this connection (and errors its subscriber) rather
      // than leaving it attached, dead, for every later subscriber to join.
      try {
        connection.open();
      } catch (e) {
        connection.halt(e);
      }
    }
    // The connection itself is every subscriber's teardown: no closure per subscriber.
    return connection;
  }

  /**
   * One connection: a {@link PollLoop} that polls `job/{id}`, records each answer, emits on change to
   * every subscriber, completes them after a terminal snapshot, and errors them on a permanent
   * failure or on `maxWait`. Inside the class body, so it reaches the job's private state without a
   * closure per job.
   */
  static readonly #Connection = class JobConnection extends PollLoop<JobStatus> implements Connection {
    readonly #job: AsyncJob;
    readonly #subscribers: Subscriber<JobSnapshot>[];
    // The last snapshot emitted (replayed to late subscribers), and the number of the request in flight.
    #emitted: JobSnapshot | undefined;
    #seq = 0;
    #maxWaitTimer: Subscription | undefined;

    constructor(job: AsyncJob, first: Subscriber<JobSnapshot>) {
      super(job.#scheduler, job.#policy, job.jobId, job.#pause$);
      this.#job = job;
      this.#subscribers = [first];
    }

    open(): void {
      this.start();
      const maxWait = this.#job.#maxWait;
      // After the first poll (and the timer it may have set), so a poll due when maxWait elapses
      // runs first. Infinity means no limit (timers would fire it at once); huge values are capped
      // by safeDelay.
      if (maxWait !== undefined && Number.isFinite(maxWait) && !this.stopped) {
        this.#maxWaitTimer = this.#job.#scheduler.schedule(JobConnection.#timedOut, safeDelay(maxWait), this);
      }
    }

    add(subscriber: Subscriber<JobSnapshot>): void {
      this.#subscribers.push(subscriber);
      if (this.#emitted !== undefined) subscriber.next(this.#emitted);
    }

    /**
     * A subscriber's teardown: drops the subscribers that left. rxjs marks a subscription `closed`
     * before it runs its teardowns, so the ones closed are the ones leaving (several may have gone
     * at once, one teardown each); stops the loop when none is left.
     */
    unsubscribe(): void {
      const subscribers = this.#subscribers;
      for (let i = subscribers.length - 1; i >= 0; i--) if (subscribers[i]!.closed) subscribers.splice(i, 1);
      if (subscribers.length === 0 && !this.stopped) this.#close();
    }

    protected send(): Observable<JobStatus> {
      const job = this.#job;
      this.#seq = ++job.#sent;
      return job.#api.getStatus(job.jobId, POLL);
    }

    protected answered(status: JobStatus): void {
      const snapshot = this.#job.#observe(status, this.#seq);
      this.succeeded(snapshot);
      const emitted = this.#emitted;
      if (emitted === undefined || !sameSnapshot(emitted, snapshot)) {
        this.#emitted = snapshot;
        // A copy: subscribers may leave (or join) while being notified.
        for (const s of this.#subscribers.slice()) s.next(snapshot);
      }
      if (!isTerminal(snapshot)) this.next();
      else if (!this.stopped) {
        const subscribers = this.#close();
        for (const s of subscribers) s.complete();
      }
    }

    protected empty(): void {
      this.next();
    }

    protected failed(error: unknown): void {
      for (const s of this.#close()) s.error(error);
    }

    static #timedOut(connection?: JobConnection): void {
      const job = connection!.#job;
      connection!.halt(new JobTimeoutError({ jobId: job.jobId, maxWaitMs: job.#maxWait!, lastSnapshot: job.#latest }));
    }

    /** Stops the loop and the `maxWait` timer, detaches from the job; returns the subscribers left. */
    #close(): Subscriber<JobSnapshot>[] {
      if (this.#job.#connection === this) this.#job.#connection = undefined;
      this.stop();
      this.#maxWaitTimer?.unsubscribe();
      return this.#subscribers.slice();
    }
  };
}

/** What a job holds of its current connection. */
interface Connection {
  /** Starts the loop (the first poll may answer synchronously), then the `maxWait` timer. */
  open(): void;
  add(subscriber: Subscriber<JobSnapshot>): void;
  /** Stops the loop and errors every subscriber. */
  halt(error: unknown): void;
  /** A subscriber's teardown. */
  unsubscribe(): void;
}

/** Whether a value is an AsyncJob (of this copy of the library). */
export function isAsyncJob(u: unknown): u is AsyncJob {
  return u instanceof AsyncJob;
}
