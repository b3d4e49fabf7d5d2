/**
 * Per-request timeouts without a timer per request: every request of a transport has the same
 * timeout, so deadlines expire in the order they were set, and one list with one scheduler timer
 * (armed for the oldest deadline) serves them all. Adding and removing are O(1); thousands of
 * requests in flight cost one small entry each instead of a scheduler action and a platform timer.
 *
 * The list compares instants, so they come from a clock that is never set: with a real-time rxjs
 * scheduler (whose `now()` is `Date.now()`, stepped by NTP or by hand) `performance.now()`; a
 * virtual-time scheduler's own clock otherwise. A timer per request never had that problem.
 */
import type { SchedulerLike, Subscription } from 'rxjs';
import { safeDelay } from '../safe-delay.js';

/** One pending deadline (a list node). */
export interface Deadline {
  readonly at: number;
  /** `undefined` once fired or removed. */
  fire: (() => void) | undefined;
  prev: Deadline | undefined;
  next: Deadline | undefined;
}

/**
 * Deadlines `ms` after they are added, on `scheduler` (virtual time in tests).
 *
 * @example
 * ```ts
 * const deadlines = new Deadlines(asyncScheduler, 30_000);
 * const d = deadlines.add(() => controller.abort());
 * deadlines.remove(d); // answered in time (removing twice is harmless)
 * ```
 */
export class Deadlines {
  #head: Deadline | undefined;
  #tail: Deadline | undefined;
  #timer: Subscription | undefined;
  /** What deadlines are measured on (see {@link monotonicClock}). */
  readonly #now: () => number;

  constructor(
    readonly scheduler: SchedulerLike,
    readonly ms: number,
    now: () => number = monotonicClock(scheduler),
  ) {
    this.#now = now;
  }

  /** Calls `fire` `ms` from now unless removed first. */
  add(fire: () => void): Deadline {
    const d: Deadline = { at: this.#now() + this.ms, fire, prev: this.#tail, next: undefined };
    if (this.#tail) this.#tail.next = d;
    else this.#head = d;
    this.#tail = d;
    this.#arm();
    return d;
  }

  remove(d: Deadline): void {
    if (!d.fire) return;
    d.fire = undefined;
    if (d.prev) d.prev.next = d.next;
    else this.#head = d.next;
    if (d.next) d.next.prev = d.prev;
    else this.#tail = d.prev;
    d.prev = d.next = undefined;
    // Nothing left to time: no timer may outlive the last request.
    if (!this.#head) {
      this.#timer?.unsubscribe();
      this.#timer = undefined;
    }
  }

  #arm(): void {
    const head = this.#head;
    if (this.#timer || !head) return;
    // Capped at `ms`: a clock set back cannot postpone a timeout by more than one period.
    this.#timer = this.scheduler.schedule(() => {
      this.#timer = undefined;
      const now = this.#now();
      for (let d = this.#head; d && (d.at <= now || d.at - now > this.ms); d = this.#head) {
        const fire = d.fire!;
        this.remove(d);
        fire();
      }
      this.#arm();
    }, safeDelay(Math.min(head.at - this.#now(), this.ms)));
  }
}

/**
 * A clock for measuring durations on `scheduler`: `performance.now()` when the scheduler keeps
 * wall-clock time (rxjs's real schedulers), which a change of the system time cannot move;
 * `scheduler.now()` when it keeps virtual time (a TestScheduler, `run` mode included) or where
 * there is no `performance`.
 *
 * @example
 * ```ts
 * const now = monotonicClock(asyncScheduler);
 * const started = now(); // ...later: now() - started is the time elapsed
 * ```
 */
export function monotonicClock(scheduler: SchedulerLike): () => number {
  const wallClock = Math.abs(scheduler.now() - Date.now()) < 60_000;
  if (!wallClock || typeof performance === 'undefined' || typeof performance.now !== 'function') return () => scheduler.now();
  return () => performance.now();
}
