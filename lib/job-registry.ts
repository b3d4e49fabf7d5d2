/**
 * Which AsyncJob observed a snapshot. Snapshots stay plain, frozen, serialisable values; the link
 * back to their job lives here, keyed weakly by the snapshot object, so operators downstream of
 * `filter`, `share` or `concatJobs` can still reach the job (for its errors) without the snapshot
 * carrying a reference to the client.
 */
import type { AsyncJob } from './async-job.js';
import type { JobSnapshot } from './job-snapshot.js';

const owners = new WeakMap<JobSnapshot, AsyncJob>();

/** Records that `job` observed `snapshot`; returns the snapshot. */
export function registerSnapshot<S extends JobSnapshot>(snapshot: S, job: AsyncJob): S {
  owners.set(snapshot, job);
  return snapshot;
}

/**
 * The AsyncJob that observed a snapshot (or the snapshot a `concatJobs` step tag was made from),
 * `undefined` for snapshots built elsewhere.
 *
 * @example
 * ```ts
 * job.pipe(filter(isTerminal)).subscribe((s) => jobOf(s) === job); // true
 * ```
 */
export function jobOf(snapshot: JobSnapshot): AsyncJob | undefined {
  return owners.get(snapshot);
}
