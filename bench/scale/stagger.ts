/**
 * How every contender of the scale benchmark starts its watchers, alike: all at once (the default,
 * every first poll due in the same millisecond and, at a fixed interval, bunched ever after), or with
 * `--spread`, the first polls spread evenly over one interval, as jobs created over time would be.
 */

/** Calls `start(i)` for i in [0, count): now, or at i × interval / count ms when `spread`. */
export function staggered(count: number, intervalMs: number, spread: boolean, start: (i: number) => void): { cancel(): void } {
  if (!spread) {
    for (let i = 0; i < count; i++) start(i);
    return { cancel: () => undefined };
  }
  // A flag rather than a list of timers: nothing is kept per job once its first poll started.
  let cancelled = false;
  const begin = (i: number): void => {
    if (!cancelled) start(i);
  };
  for (let i = 0; i < count; i++) setTimeout(begin, (i * intervalMs) / count, i);
  return {
    cancel: () => {
      cancelled = true;
    },
  };
}
