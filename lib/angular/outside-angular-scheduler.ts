/**
 * outsideAngularScheduler: an RxJS scheduler whose timers live outside Angular's zone.
 */
import { asyncScheduler, type SchedulerAction, type SchedulerLike, type Subscription } from 'rxjs';
import type { NgZone } from '@angular/core';

/**
 * A scheduler that delegates to `base` (default `asyncScheduler`) but starts every timer outside
 * Angular's zone. A job's polling loop run on it leaves no pending macrotask between polls, so a
 * zone-based app (and its tests' `whenStable()`) settles while jobs are being watched, even when the
 * job is subscribed from inside the zone (`job | async`). The requests it sends from those timers
 * leave the zone too. Values still reach the page: since Angular 18, the async pipe and signals
 * schedule change detection even when they are updated outside the zone.
 *
 * In a zoneless app `NgZone` is a no-op and this is `base` with one more call.
 * `provideNucleus` installs it as the client's scheduler.
 *
 * ## Example
 * ```ts
 * const client = new NucleusClient({ apiKey, scheduler: outsideAngularScheduler(inject(NgZone)) });
 * ```
 *
 * @param zone the application's NgZone
 * @param base the scheduler that does the work (default `asyncScheduler`)
 * @return a SchedulerLike
 */
export function outsideAngularScheduler(zone: NgZone, base: SchedulerLike = asyncScheduler): SchedulerLike {
  return {
    now: () => base.now(),
    schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay?: number, state?: T): Subscription {
      // A rescheduling action re-arms its timer from its own callback, which already runs outside.
      return zone.runOutsideAngular(() => base.schedule(work, delay, state));
    },
  };
}
