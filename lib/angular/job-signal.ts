/**
 * jobSignal: a job (or any Observable) as an Angular Signal, subscribed outside the zone and
 * unsubscribed when its injection context is destroyed.
 */
import { DestroyRef, Injector, NgZone, assertInInjectionContext, computed, inject, signal, type Signal } from '@angular/core';
import type { Observable } from 'rxjs';
import { outsideAngular } from './outside-angular.js';

export interface JobSignalOptions {
  /** Where to find DestroyRef and NgZone when called outside an injection context. */
  readonly injector?: Injector;
}

type State<T> = { readonly kind: 'value'; readonly value: T | undefined } | { readonly kind: 'error'; readonly error: unknown };

/**
 * The latest value of a job as a Signal: `undefined` until the first snapshot, then each snapshot,
 * keeping the last one after the job ends. Like `toSignal`, but it subscribes outside Angular's zone
 * (so polling never keeps the app unstable, see `outsideAngular`) and reading the signal after the
 * stream failed throws that error.
 *
 * Subscribes at once; unsubscribes (stopping the polling loop when it was the last subscriber) when
 * the component, directive or injector it was created in is destroyed.
 *
 * ## Example
 * ```ts
 * import { injectNucleusClient, jobSignal } from 'nucleus-rx/angular';
 *
 * @Component({ template: `{{ (snapshot()?.progress ?? 0) * 100 }} %` })
 * class JobProgress {
 *   readonly jobId = input.required<string>();
 *   readonly snapshot = jobSignal(injectNucleusClient().getJob(this.jobId()));
 * }
 * ```
 *
 * @param source the job, or any Observable
 * @param options.injector the injector to use outside an injection context
 * @return a read-only Signal of the latest value
 */
export function jobSignal<T>(source: Observable<T>, options: JobSignalOptions = {}): Signal<T | undefined> {
  if (options.injector === undefined) assertInInjectionContext(jobSignal);
  const injector = options.injector ?? inject(Injector);
  const zone = injector.get(NgZone, null, { optional: true });
  const state = signal<State<T>>({ kind: 'value', value: undefined });
  const subscription = source.pipe(outsideAngular<T>(zone)).subscribe({
    next: (value) => state.set({ kind: 'value', value }),
    error: (error: unknown) => state.set({ kind: 'error', error }),
  });
  injector.get(DestroyRef).onDestroy(() => subscription.unsubscribe());
  return computed(() => {
    const s = state();
    if (s.kind === 'error') throw s.error;
    return s.value;
  });
}
