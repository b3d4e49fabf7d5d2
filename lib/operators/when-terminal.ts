import type { MonoTypeOperatorFunction } from 'rxjs';
import { filter, take } from '../rx.js';
import { isTerminal, type JobSnapshot } from '../job-snapshot.js';

/**
 * Emits only the first terminal snapshot, then completes: "tell me when it is over", whatever the
 * outcome.
 *
 * ```text
 * source:          --q--r--F|
 * whenTerminal():  --------(F|)
 * ```
 *
 * ## Example
 * ```ts
 * job.pipe(whenTerminal()).subscribe((s) => toast(`${s.jobId}: ${s.status}`));
 * ```
 */
export function whenTerminal<S extends JobSnapshot>(): MonoTypeOperatorFunction<S> {
  return (source) => source.pipe(filter<S>(isTerminal), take(1));
}
