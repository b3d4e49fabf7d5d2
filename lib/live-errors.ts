/**
 * liveErrors$: follows a running job's error lines, emitting each line once.
 *
 * `GET job/{id}/errors` answers the most recent lines in full each time, so following it means
 * telling new lines from ones already emitted. Lines are compared as a multiset: a string that
 * legitimately occurs three times is emitted three times, each occurrence once, however many
 * fetches return it.
 */
import {
  EMPTY,
  Observable,
  Subject,
  Subscription,
  concatMap,
  defer,
  race,
  repeat,
  switchMap,
  tap,
  type SchedulerLike,
} from 'rxjs';
import { parseJobErrorLine, type JobErrorRecord } from './job-error-record.js';
import { isTerminal, type JobSnapshot } from './job-snapshot.js';
import { PollGate } from './poll-gate.js';
import { PollTracker, retryTransientPolls } from './poll-tracker.js';
import { safeDelay } from './safe-delay.js';
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
  const { jobId, fetch, snapshots$, policy, scheduler, pause$ } = sources;
  return new Observable<JobErrorRecord>((subscriber) => {
    const seen = new Map<string, number>();
    const tracker = new PollTracker(jobId);
    const terminalSeen = new Subject<void>();
    let terminal = false;
    let final = false;
    const subscription = new Subscription();
    const gate = new PollGate(scheduler, pause$, (e) => subscriber.error(e));
    subscription.add(() => gate.unsubscribe());

    const markTerminal = (): void => {
      if (terminal) return;
      terminal = true;
      terminalSeen.next();
    };
    subscription.add(
      snapshots$.subscribe({
        next: (s) => (isTerminal(s) ? markTerminal() : undefined),
        // The job's stream completes only after its terminal snapshot.
        complete: markTerminal,
        error: (e: unknown) => subscriber.error(e),
      }),
    );

    const policyWait$ = (): Observable<unknown> => {
      const state = tracker.state(scheduler.now());
      const delayMs = safeDelay(policy(state));
      // A resume does not cut the server's Retry-After short (the policy may cap a bogus one).
      return gate.wait$(delayMs, false, Math.min(delayMs, state.retryAfterMs ?? 0));
    };
    // The wait before the next fetch ends early when the job turns terminal (unless paused). A failed
    // fetch always waits the policy's delay, which honours the server's Retry-After.
    const next$ = (): Observable<unknown> =>
      terminal ? gate.wait$(0, true) : race(policyWait$(), terminalSeen.pipe(switchMap(() => gate.wait$(0, true))));

    const fetch$ = defer(() => {
      final = terminal;
      tracker.sent(scheduler.now());
      return fetch();
    }).pipe(
      tap(() => tracker.succeeded()),
      retryTransientPolls(tracker, policyWait$),
    );

    subscription.add(
      fetch$
        .pipe(
          concatMap((lines) => takeUnseen(seen, lines).map(parseJobErrorLine)),
          // A notifier that completes without emitting completes the stream: done after the final fetch.
          repeat({ delay: () => (final ? EMPTY : next$()) }),
        )
        .subscribe(subscriber),
    );
    return subscription;
  });
}
