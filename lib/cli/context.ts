/**
 * What every command runs with: where to write, the environment, and the interrupt signal.
 */
import { Observable, Subscription } from 'rxjs';
import type { Output } from './output.js';

export interface CliContext {
  readonly output: Output;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Emits (at most once) when the user presses Ctrl-C or the process gets SIGTERM. */
  readonly interrupted$: Observable<unknown>;
}

/** How a stream run by {@link runUntilInterrupted} ended. */
export type RunResult<T> = { readonly kind: 'completed'; readonly last: T | undefined } | { readonly kind: 'interrupted' };

/**
 * Subscribes to `source$` and resolves when it completes, rejects when it errors, or resolves
 * `interrupted` when the user interrupts: then it unsubscribes first, which aborts the requests in
 * flight and clears the timers.
 *
 * @example
 * const r = await runUntilInterrupted(job$, ctx.interrupted$, (s) => view.changed(s));
 */
export function runUntilInterrupted<T>(source$: Observable<T>, interrupted$: Observable<unknown>, next: (value: T) => void = () => undefined): Promise<RunResult<T>> {
  return new Promise((resolve, reject) => {
    const subscription = new Subscription();
    let last: T | undefined;
    subscription.add(
      interrupted$.subscribe(() => {
        subscription.unsubscribe();
        resolve({ kind: 'interrupted' });
      }),
    );
    subscription.add(
      source$.subscribe({
        next: (v) => {
          last = v;
          next(v);
        },
        error: (e: unknown) => {
          subscription.unsubscribe();
          reject(e);
        },
        complete: () => {
          subscription.unsubscribe();
          resolve({ kind: 'completed', last });
        },
      }),
    );
  });
}
