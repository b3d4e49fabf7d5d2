/**
 * PollGate: when the next request of a polling loop may start, given a delay and a pause signal.
 * One per loop (per connection), never shared.
 */
import { BehaviorSubject, NEVER, Subscription, defer, distinctUntilChanged, of, switchMap, take, timer, type Observable, type SchedulerLike } from 'rxjs';

export class PollGate {
  readonly #paused = new BehaviorSubject(false);
  readonly #subscription = new Subscription();
  readonly #scheduler: SchedulerLike;

  /** Follows `pause$` (when given) until `unsubscribe`; its errors go to `onError`. */
  constructor(scheduler: SchedulerLike, pause$: Observable<boolean> | undefined, onError: (e: unknown) => void) {
    this.#scheduler = scheduler;
    if (pause$) this.#subscription.add(pause$.subscribe({ next: (p) => this.#paused.next(p), error: onError }));
  }

  /**
   * Emits once when the next request may start: after `delayMs`, or at once when `immediate`; never
   * while paused; on a resume at once, or once `floorMs` (the server's Retry-After) have passed since
   * the call if that is later. A 0 ms delay still goes through the scheduler, so a policy answering 0
   * cannot spin synchronously.
   */
  wait$(delayMs: number, immediate = false, floorMs = 0): Observable<unknown> {
    const scheduler = this.#scheduler;
    return defer(() => {
      const notBefore = scheduler.now() + floorMs;
      return this.#paused.pipe(
        distinctUntilChanged(),
        switchMap((p, i) => {
          if (p) return NEVER;
          if (i === 0) return immediate ? of(0) : timer(delayMs, scheduler);
          const left = notBefore - scheduler.now();
          return left > 0 ? timer(left, scheduler) : of(0);
        }),
        take(1),
      );
    });
  }

  unsubscribe(): void {
    this.#subscription.unsubscribe();
  }
}
