/**
 * PollGate: when the next request of a polling loop may start, given a delay and a pause signal.
 * One per loop (per connection), never shared.
 */
import { BehaviorSubject, NEVER, Subscription, distinctUntilChanged, of, switchMap, take, timer, type Observable, type SchedulerLike } from 'rxjs';

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
   * while paused; at once on a resume. A 0 ms delay still goes through the scheduler, so a policy
   * answering 0 cannot spin synchronously.
   */
  wait$(delayMs: number, immediate = false): Observable<unknown> {
    return this.#paused.pipe(
      distinctUntilChanged(),
      switchMap((p, i) => (p ? NEVER : i > 0 || immediate ? of(0) : timer(delayMs, this.#scheduler))),
      take(1),
    );
  }

  unsubscribe(): void {
    this.#subscription.unsubscribe();
  }
}
