/**
 * What the scale benchmark measures in a watcher process: CPU time, requests, retained memory and
 * event-loop delay over a window, for one way of watching many jobs.
 */
import * as fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface Watching {
  /** Requests sent so far. */
  readonly requests: () => number;
  /** Requests sent and not answered yet (counted until fetch resolves, the same way for every contender). */
  readonly inFlight: () => number;
  /** Stops every watcher (timers cleared, nothing in flight afterwards). */
  readonly stop: () => Promise<void>;
  /** Starts no more polls but keeps every job watched (the requests in flight finish). */
  readonly hold: () => void;
}

export interface Measurement {
  readonly contender: string;
  readonly jobs: number;
  readonly requests: number;
  readonly cpuMicrosPerPoll: number;
  readonly bytesPerJob: number;
  /** Requests in flight when the memory was measured: each holds a socket and fetch's state (about 16 KB). */
  readonly inFlightAtSnapshot: number;
  /** Sockets open at the snapshot (keep-alive connections included): each costs about as much as a request in flight. */
  readonly socketsAtSnapshot: number;
  readonly loopDelayP99Ms: number;
  readonly loopDelayMaxMs: number;
  /**
   * Retained memory per job once settled: every job still watched, no poll started any more,
   * nothing in flight and idle keep-alive sockets timed out. What watching itself costs, without the
   * requests and sockets that happen to be open at a snapshot under load.
   */
  readonly bytesPerJobSettled: number;
  readonly inFlightSettled: number;
  readonly socketsSettled: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Heap + external + array buffers once garbage is collected. The event loop turns between
 * collections: fetch's FinalizationRegistry callbacks and WeakRef targets are only released after
 * the current task, so back-to-back `gc()` calls count garbage as retained.
 */
export async function retained(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run the watcher with node --expose-gc');
  for (let i = 0; i < 3; i++) {
    gc();
    await sleep(50);
  }
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external + m.arrayBuffers;
}

/**
 * Sockets among this process's file descriptors (Linux; -1 elsewhere), stdin, stdout and stderr
 * aside: the harness starts each watcher with socketpairs there.
 */
function openSockets(): number {
  try {
    return fs.readdirSync('/proc/self/fd').filter((fd) => {
      if (Number(fd) <= 2) return false;
      try {
        return fs.readlinkSync(`/proc/self/fd/${fd}`).startsWith('socket:');
      } catch {
        return false;
      }
    }).length;
  } catch {
    return -1;
  }
}

/**
 * Starts the watchers, lets them settle for `warmupMs`, then measures for `windowMs`: CPU and
 * requests over the window, event-loop delay during it, retained memory after it (with the
 * watchers still running) against before they started; then holds the watchers (no new polls,
 * every job still watched), waits until nothing is in flight and idle sockets have closed, and
 * measures retained memory again.
 */
export async function measure(contender: string, jobs: number, start: () => Watching, warmupMs: number, windowMs: number): Promise<Measurement> {
  const before = await retained();
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
  const socketsAtSnapshot = openSockets();
  const after = await retained();
  watching.hold();
  for (let waited = 0; watching.inFlight() > 0 && waited < 60_000; waited += 100) await sleep(100);
  // Idle keep-alive sockets close after 4 s (undici) or 5 s (the emulator's server).
  await sleep(6_000);
  const inFlightSettled = watching.inFlight();
  const socketsSettled = openSockets();
  const settled = await retained();
  await watching.stop();
  return {
    contender,
    jobs,
    requests,
    cpuMicrosPerPoll: (cpu.user + cpu.system) / Math.max(1, requests),
    bytesPerJob: (after - before) / jobs,
    inFlightAtSnapshot,
    socketsAtSnapshot,
    loopDelayP99Ms: histogram.percentile(99) / 1e6,
    loopDelayMaxMs: histogram.max / 1e6,
    bytesPerJobSettled: (settled - before) / jobs,
    inFlightSettled,
    socketsSettled,
  };
}
