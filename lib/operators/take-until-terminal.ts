import type { MonoTypeOperatorFunction } from 'rxjs';
import { takeWhile } from '../rx.js';
import { isTerminal, type JobSnapshot } from '../job-snapshot.js';

/**
 * Passes snapshots through up to and including the first terminal one, then completes.
 *
 * An AsyncJob already ends this way; this is for snapshot streams built otherwise (merged, replayed,
 * read from a store) that should stop like a job does.
 *
 * ```text
 * source:               --a--b--T--c--
 * takeUntilTerminal():  --a--b--(T|)
 * ```
 *
 * ## Example
 * ```ts
 * snapshotsFromStore$.pipe(takeUntilTerminal()).subscribe(render);
 * ```
 */
export function takeUntilTerminal<S extends JobSnapshot>(): MonoTypeOperatorFunction<S> {
  return takeWhile((s: S) => !isTerminal(s), true);
}
