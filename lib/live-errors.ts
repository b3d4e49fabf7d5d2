/**
 * liveErrors$: follows a running job's error lines, emitting each line once.
 *
 * `GET job/{id}/errors` answers the most recent lines in full each time, so following it means
 * telling new lines from ones already emitted. Lines are compared as a multiset: a string that
 * legitimately occurs three times is emitted three times, each occurrence once, however many
 * fetches return it.
 */
import type { SchedulerLike, Subscriber } from 'rxjs';
import { Observable } from './rx.js';
import { parseJobErrorLine, type JobErrorRecord } from './job-error-record.js';
import { isTerminal, type JobSnapshot } from './job-snapshot.js';
import { PollLoop } from './poll-loop.js';
import type { PollingPolicy } from './polling-policy.js';

/**
 * The lines of `lines` not counted in `seen` yet, in order; counts them. The k-th occurrence of a
 * string is new when fewer than k were seen before.
 *
 * Limitation: once the server's window (10,000 lines) is full and an old copy of a repeated string
 * falls out of it, a new identical copy is indistinguishable from the old one and is not emitted.
 */
export function takeUnseen(seen: Map<string, number>, lines: readonly string[]): string[] {
  const counts = new Map<string, number>();
  const fresh: string[] = [];
  for (const line of lines) {
    const c = (counts.get(line) ?? 0) + 1;
    counts.set(line, c);
    if (c > (seen.get(line) ?? 0)) fresh.push(line);
  }
  for (const [line, c] of counts) if (c > (seen.get(line) ?? 0)) seen.set(line, c);
  return fresh;
}

export interface LiveErrorsSources {
  /** The job followed: passed to the policy (its jitter hashes it). */
  readonly jobId?: string | undefined;
  /** One fetch of the error lines (cold, one request per subscription). */
  readonly fetch: () => Observable<readonly string[]>;
  /** The job's snapshots: watched for the terminal one. */
  readonly snapshots$: Observable<JobSnapshot>;
  readonly policy: PollingPolicy;
  readonly scheduler: SchedulerLike;
  /** While it last emitted `true`, no fetch starts (the job's `pause$`). */
  readonly pause$?: Observable<boolean> | undefined;
}

/**
 * Fetches the error lines at once, then on the policy's schedule, emitting the new ones; when the job
 * turns terminal, fetches once more at once (a fetch started after the terminal status was seen) and
 * completes. Transient fetch failures are retried on the policy's schedule; permanent ones, and
 * errors of the job's stream, error this stream.
 */
export function liveErrors$(sources: LiveErrorsSources): Observable<JobErrorRecord> {
  return new Observable<JobErrorRecord>((subscriber) => {
    const loop = new ErrorsLoop(sources, subscriber);
    const snapshots = sources.snapshots$.subscribe({
      next: (s) => (isTerminal(s) ? loop.markTerminal() : undefined),
      // The job's stream completes only after its terminal snapshot.
      complete: () => loop.markTerminal(),
      error: (e: unknown) => subscriber.error(e),
    });
    if (!subscriber.closed) loop.start();
    return () => {
      snapshots.unsubscribe();
      loop.stop();
    };
  });
}

/** One subscription's loop: fetches, emits the unseen lines, and the last fetch after the terminal status. */
class ErrorsLoop extends PollLoop<readonly string[]> {
  readonly #fetch: () => Observable<readonly string[]>;
  readonly #subscriber: Subscriber<JobErrorRecord>;
  readonly #seen = new Map<string, number>();
  #terminal = false;
  // The fetch in flight started after the terminal status was seen: the last one.
  #final = false;
  // The wait in progress follows an answer (not a failure): a terminal status cuts it short. A
  // failed fetch always waits the policy's delay, which honours the server's Retry-After.
  #cuttable = false;

  constructor(sources: LiveErrorsSources, subscriber: Subscriber<JobErrorRecord>) {
    super(sources.scheduler, sources.policy, sources.jobId, sources.pause$);
    this.#fetch = sources.fetch;
    this.#subscriber = subscriber;
  }

  markTerminal(): void {
    if (this.#terminal) return;
    this.#terminal = true;
    // `#cuttable` is set only while such a wait is pending (a poll's start clears it).
    if (this.#cuttable) this.now();
  }

  protected send(): Observable<readonly string[]> {
    this.#final = this.#terminal;
    this.#cuttable = false;
    return this.#fetch();
  }

  protected answered(lines: readonly string[]): void {
    this.succeeded();
    const subscriber = this.#subscriber;
    for (const line of takeUnseen(this.#seen, lines)) {
      if (subscriber.closed) return;
      subscriber.next(parseJobErrorLine(line));
    }
    // Then on as after an answer without lines.
    this.empty();
  }

  protected empty(): void {
    if (this.#final) this.#subscriber.complete();
    else if (this.#terminal) this.now();
    else {
      this.#cuttable = true;
      this.next();
    }
  }

  protected failed(error: unknown): void {
    this.#subscriber.error(error);
  }
}
