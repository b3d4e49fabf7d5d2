/**
 * The emulator's control API, for tests and demos: cancel or force jobs, pause the engine, read
 * counters and true job states, change faults at run time. The same operations are served over HTTP
 * under `/__emulator/` (see docs/emulator.md).
 *
 * @example
 * ```ts
 * const emu = await startEmulator();
 * emu.control.pause();
 * emu.control.forceJobState(jobId, { status: 'Errored_Server', message: 'boom' });
 * emu.control.counters().faults.http503;
 * ```
 */
import { FAULT_KINDS, FaultInjector, type FaultConfig, type FaultKind } from './faults.js';
import type { ForcedJobState, JobEngine, JobState } from './engine.js';

export interface EmulatorCounters {
  /** Requests by route name (`job.status`, ...), plus `preflight`, `control` and `unmatched`. */
  readonly requests: Record<string, number>;
  /** Answers by HTTP status code (injected faults included; resets are not answers). */
  readonly responses: Record<string, number>;
  /** Injected faults by kind. */
  readonly faults: Record<FaultKind, number>;
  /** Jobs by current status. */
  readonly jobs: Record<string, number>;
  /** Upload lines received, accepted and rejected by the engine so far. */
  readonly lines: { readonly received: number; readonly accepted: number; readonly rejected: number };
}

export interface EmulatorControl {
  /** Cancels a job that has not ended (an ended job stays as it is). Throws for an unknown job id. */
  cancelJob(jobId: string): JobState;
  /** Forces a job into any status (and message, progress...). Throws for an unknown job id. */
  forceJobState(jobId: string, state: ForcedJobState): JobState;
  /** Stops every job where it is. */
  pause(): void;
  /** Restarts paused jobs: each waits one full queue or step delay from now. */
  resume(): void;
  readonly paused: boolean;
  counters(): EmulatorCounters;
  /** Zeroes the request, response and fault counters (not jobs or lines). */
  resetCounters(): void;
  /** A job's true state, whoever owns it; `undefined` for an unknown id. */
  jobState(jobId: string): JobState | undefined;
  /** Every job's true state, oldest first. */
  jobStates(): JobState[];
  /** Replaces the fault configuration (`undefined`: no faults). Call numbers of schedules restart at 1. */
  setFaults(config: FaultConfig | undefined): void;
  /** The current fault configuration, if any. */
  faults(): FaultConfig | undefined;
}

/** Mutable counters the server updates. */
export class CounterSet {
  requests = new Map<string, number>();
  responses = new Map<string, number>();
  faults = new Map<FaultKind, number>();

  bump<K>(m: Map<K, number>, k: K): void {
    m.set(k, (m.get(k) ?? 0) + 1);
  }

  reset(): void {
    this.requests.clear();
    this.responses.clear();
    this.faults.clear();
  }
}

/** Holder of the current fault injector, shared by the server and the control API. */
export interface FaultHolder {
  injector: FaultInjector | undefined;
}

function toRecord<K extends string>(m: Map<K, number>): Record<string, number> {
  const out: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const [k, v] of [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out[k] = v;
  return { ...out };
}

export function createControl(engine: JobEngine, counters: CounterSet, faults: FaultHolder): EmulatorControl {
  const find = (jobId: string) => {
    const job = engine.jobById(jobId);
    if (!job) throw new RangeError(`unknown job id: ${String(jobId).slice(0, 64)}`);
    return job;
  };
  return {
    cancelJob(jobId) {
      const job = find(jobId);
      engine.cancel(job);
      return engine.state(job);
    },
    forceJobState(jobId, state) {
      if (typeof state !== 'object' || state === null || typeof state.status !== 'string' || state.status === '') {
        throw new RangeError('forceJobState needs a non-empty status string');
      }
      const job = find(jobId);
      engine.force(job, state);
      return engine.state(job);
    },
    pause: () => engine.pause(),
    resume: () => engine.resume(),
    get paused() {
      return engine.paused;
    },
    counters() {
      const jobs = new Map<string, number>();
      for (const j of engine.allJobs()) counters.bump(jobs, j.status);
      const faultsByKind = Object.fromEntries(FAULT_KINDS.map((k) => [k, counters.faults.get(k) ?? 0])) as Record<FaultKind, number>;
      return {
        requests: toRecord(counters.requests),
        responses: toRecord(counters.responses),
        faults: faultsByKind,
        jobs: toRecord(jobs),
        lines: { ...engine.lines },
      };
    },
    resetCounters: () => counters.reset(),
    jobState(jobId) {
      const job = engine.jobById(jobId);
      return job && engine.state(job);
    },
    jobStates: () => engine.allJobs().map((j) => engine.state(j)),
    setFaults(config) {
      faults.injector = config === undefined || config === null ? undefined : new FaultInjector(config);
    },
    faults: () => faults.injector?.config,
  };
}
