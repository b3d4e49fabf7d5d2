/**
 * outsideAngular: subscribe to a source outside Angular's zone and deliver what it emits inside it.
 */
import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
import type { NgZone } from '@angular/core';

/**
 * Subscribes to the source outside Angular's zone, so that the timers and requests it starts (a job's
 * polling loop) do not count as pending work: `NgZone.isStable`, `ApplicationRef.isStable` and a
 * test's `whenStable()` are not held up for as long as a job is watched. Each notification is
 * delivered back inside the zone, so change detection runs as usual in zone-based apps.
 *
 * With no zone (`null`, `undefined`) or in a zoneless app (where `NgZone` is a no-op), the source is
 * returned as is: zoneless Angular only waits for `PendingTasks`, which polling never adds.
 *
 * ## Example
 * ```ts
 * import { outsideAngular } from 'nucleus-rx/angular';
 *
 * const zone = inject(NgZone);
 * readonly job$ = this.client.getJob(id).pipe(outsideAngular(zone)); // `job$ | async`
 * ```
 *
 * @param zone the application's NgZone
 * @return an operator mirroring the source
 */
export function outsideAngular<T>(zone: NgZone | null | undefined): MonoTypeOperatorFunction<T> {
  return (source) => {
    if (zone === null || zone === undefined) return source;
    return new Observable<T>((subscriber) =>
      zone.runOutsideAngular(() =>
        source.subscribe({
          next: (value) => zone.run(() => subscriber.next(value)),
          error: (err: unknown) => zone.run(() => subscriber.error(err)),
          complete: () => zone.run(() => subscriber.complete()),
        }),
      ),
    );
  };
}
