/**
 * What the scale benchmark measures in a watcher process: CPU time, requests, retained memory and
 * event-loop delay over a window, for one way of watching many jobs.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface Watching {
  /** Requests sent so far. */
  readonly requests: () => number;
  /** Requests sent and not answered yet (counted until fetch resolves, the same way for every contender). */
  readonly inFlight: () => number;
  /** Stops every watcher (timers cleared, nothing in flight afterwards). */
  readonly stop: () => Promise<void>;
}

export interface Measurement {
  readonly contender: string;
  readonly jobs: number;
  readonly requests: number;
  readonly cpuMicrosPerPoll: number;
  readonly bytesPerJob: number;
  /** Requests in flight when the memory was measured: each holds a socket and fetch's state (about 16 KB). */
  readonly inFlightAtSnapshot: number;
  readonly loopDelayP99Ms: number;
  readonly loopDelayMaxMs: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function retained(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run the watcher with node --expose-gc');
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external + m.arrayBuffers;
}

/**
 * Starts the watchers, lets them settle for `warmupMs`, then measures for `windowMs`: CPU and
 * requests over the window, event-loop delay during it, retained memory after it (with the
 * watchers still running) against before they started.
 */
export async function measure(contender: string, jobs: number, start: () => Watching, warmupMs: number, windowMs: number): Promise<Measurement> {
  const before = retained();
  const watching = start();
  await sleep(warmupMs);
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  const requests0 = watching.requests();
  const cpu0 = process.cpuUsage();
  histogram.enable();
  await sleep(windowMs);
  histogram.disable();
  const cpu = process.cpuUsage(cpu0);
  const requests = watching.requests() - requests0;
  const inFlightAtSnapshot = watching.inFlight();
  const after = retained();
  await watching.stop();
  return {
    contender,
    jobs,
    requests,
    cpuMicrosPerPoll: (cpu.user + cpu.system) / Math.max(1, requests),
    bytesPerJob: (after - before) / jobs,
    inFlightAtSnapshot,
    loopDelayP99Ms: histogram.percentile(99) / 1e6,
    loopDelayMaxMs: histogram.max / 1e6,
  };
}
