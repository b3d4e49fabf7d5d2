/**
 * Per-request timeouts without a timer per request: every request of a transport has the same
 * timeout, so deadlines expire in the order they were set, and one list with one scheduler timer
 * (armed for the oldest deadline) serves them all. Adding and removing are O(1); thousands of
 * requests in flight cost one small entry each instead of a scheduler action and a platform timer.
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
  private head: Deadline | undefined;
  private tail: Deadline | undefined;
  private timer: Subscription | undefined;

  constructor(
    readonly scheduler: SchedulerLike,
    readonly ms: number,
  ) {}

  /** Calls `fire` `ms` from now unless removed first. */
  add(fire: () => void): Deadline {
    const d: Deadline = { at: this.scheduler.now() + this.ms, fire, prev: this.tail, next: undefined };
    if (this.tail) this.tail.next = d;
    else this.head = d;
    this.tail = d;
    this.arm();
    return d;
  }

  remove(d: Deadline): void {
    if (!d.fire) return;
    d.fire = undefined;
    if (d.prev) d.prev.next = d.next;
    else this.head = d.next;
    if (d.next) d.next.prev = d.prev;
    else this.tail = d.prev;
    d.prev = d.next = undefined;
    // Nothing left to time: no timer may outlive the last request.
    if (!this.head) {
      this.timer?.unsubscribe();
      this.timer = undefined;
    }
  }

  private arm(): void {
    const head = this.head;
    if (this.timer || !head) return;
    // Capped at `ms`: a wall clock set back cannot postpone a timeout by more than one period.
    this.timer = this.scheduler.schedule(() => {
      this.timer = undefined;
      const now = this.scheduler.now();
      for (let d = this.head; d && (d.at <= now || d.at - now > this.ms); d = this.head) {
        const fire = d.fire!;
        this.remove(d);
        fire();
      }
      this.arm();
    }, safeDelay(Math.min(head.at - this.scheduler.now(), this.ms)));
  }
}
