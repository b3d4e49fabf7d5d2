/**
 * The job engine: runs the asynchronous append and annotate jobs on the emulator's clock.
 *
 * A job starts `Queued`; after `queueMs` it becomes `Running` and processes its uploaded lines in
 * steps of `linesPerStep`, one step every `stepMs`; then it ends:
 * - `Completed` when every line was accepted (an empty upload completes too);
 * - `Errored_Partial` when some lines were accepted and some rejected (or not processed);
 * - `Errored_User` when every line was rejected (or not processed).
 * `Cancelled` (control API) stops it where it is. Whatever the outcome, the final message says how
 * many lines were received, accepted and rejected (and, for a cancelled job, not processed):
 * accepted + rejected (+ not processed) == received, always.
 */
import type { EmulatorClock, TimerHandle } from './clock.js';
import { annotationError, checkAnnotation, checkItem, isObject, itemError, lineError, setOwn, type Json, type JsonObject } from './records.js';
import type { Dataset, Store } from './store.js';
import { newId } from './ids.js';

export type UploadJobType = 'uploadDatasetItems' | 'uploadAnnotations';

/** Statuses after which a job never changes by itself. */
export const TERMINAL_STATUSES: readonly string[] = ['Completed', 'Errored', 'Errored_Server', 'Errored_User', 'Errored_Partial', 'Errored_Hanging', 'Cancelled'];
export const isTerminalStatus = (s: string): boolean => TERMINAL_STATUSES.includes(s) || s.startsWith('Errored');

/** How many error strings `GET job/{id}/errors` answers (the most recent ones). */
export const MAX_JOB_ERRORS = 10_000;

export interface EngineTiming {
  readonly linesPerStep: number;
  readonly stepMs: number;
  readonly queueMs: number;
  readonly quirks?: WireQuirks | undefined;
}

/** Variations of `GET job/{id}` seen in the wild, to test a client's tolerance. Off by default. */
export interface WireQuirks {
  /** Spell the key `"total_steps:"`, as the guide prints it. */
  readonly totalStepsColon?: boolean;
  /** Send `job_progress`, `completed_steps` and `total_steps` as JSON numbers instead of strings. */
  readonly numbersAsNumbers?: boolean;
}

/** A job's true state, as the control API reports it. */
export interface JobState {
  readonly jobId: string;
  readonly datasetId: string;
  readonly jobType: UploadJobType;
  readonly requestId: string;
  readonly status: string;
  readonly message: string | JsonObject;
  readonly jobProgress: string;
  readonly completedSteps: number;
  readonly totalSteps: number;
  readonly linesReceived: number;
  readonly linesAccepted: number;
  readonly linesRejected: number;
  /** Lines not processed yet (or never, for a cancelled job). */
  readonly linesPending: number;
  /** Of the accepted lines: how many added, replaced (`update: true`) or left as they were (`update: false`). */
  readonly added: number;
  readonly updated: number;
  readonly unchanged: number;
  /** Errors recorded in total (the errors route answers the most recent {@link MAX_JOB_ERRORS}). */
  readonly errorCount: number;
  /** Whether the control API forced its state (the engine no longer moves it). */
  readonly pinned: boolean;
  readonly createdAt: string;
}

/** What the control API may force on a job. */
export interface ForcedJobState {
  readonly status: string;
  /** Any string (escape sequences included) or object; default: unchanged. */
  readonly message?: string | JsonObject;
  /** Sent as-is in `job_progress` (e.g. "0.5", or something malformed for decoder tests). */
  readonly jobProgress?: string;
  readonly completedSteps?: number;
  readonly totalSteps?: number;
  /** Keep the engine from moving the job any more (default true). */
  readonly pin?: boolean;
}

interface Line {
  readonly n: number;
  readonly bytes: Buffer;
}

export interface Job {
  readonly id: string;
  readonly tenant: string;
  readonly datasetId: string;
  readonly type: UploadJobType;
  readonly requestId: string;
  readonly update: boolean;
  readonly createdAt: number;
  status: string;
  message: string | JsonObject;
  jobProgress: string | undefined;
  /** The lines still to process; released (emptied) once the job has ended. */
  lines: readonly Line[];
  /** Non-blank lines received. */
  readonly received: number;
  /** Bytes of the upload the job holds until it ends. */
  readonly bytes: number;
  released: boolean;
  cursor: number;
  totalSteps: number;
  completedSteps: number;
  accepted: number;
  rejected: number;
  added: number;
  updated: number;
  unchanged: number;
  errors: string[];
  errorCount: number;
  pinned: boolean;
  timer: TimerHandle | undefined;
}

/** Engine-wide line counters. */
export interface LineCounters {
  received: number;
  accepted: number;
  rejected: number;
}

const BLANK = /^[\s\uFEFF]*$/;

/** Splits an NDJSON body into its non-blank lines, keeping 1-based line numbers. Bytes stay undecoded. */
export function splitLines(body: Buffer): Line[] {
  const out: Line[] = [];
  let start = 0;
  let n = 0;
  while (start <= body.length) {
    let end = body.indexOf(0x0a, start);
    if (end === -1) end = body.length;
    n++;
    let stop = end;
    if (stop > start && body[stop - 1] === 0x0d) stop--;
    const bytes = body.subarray(start, stop);
    // A blank line carries nothing; it is not a line of the upload (a trailing newline makes one).
    if (!(bytes.length === 0 || (bytes.length < 64 && BLANK.test(bytes.toString('latin1'))))) out.push({ n, bytes });
    start = end + 1;
  }
  return out;
}

function formatProgress(done: number, total: number): string {
  if (total <= 0) return '0';
  return String(Math.round((done / total) * 100) / 100);
}

export class JobEngine {
  readonly #clock: EmulatorClock;
  readonly #timing: EngineTiming;
  readonly #store: Store;
  readonly #jobs = new Map<string, Job>();
  readonly #byRequest = new Map<string, Job>();
  readonly #decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  #paused = false;
  #heldBytes = 0;
  #disposed = false;
  readonly lines: LineCounters = { received: 0, accepted: 0, rejected: 0 };

  constructor(clock: EmulatorClock, timing: EngineTiming, store: Store) {
    this.#clock = clock;
    this.#timing = timing;
    this.#store = store;
  }

  get paused(): boolean {
    return this.#paused;
  }

  /** Upload bytes held by jobs that have not ended. */
  get heldBytes(): number {
    return this.#heldBytes;
  }

  /** The job already started for `(tenant, dataset, requestId)`, if any. */
  jobForRequest(tenant: string, datasetId: string, requestId: string): Job | undefined {
    return this.#byRequest.get(`${tenant}\0${datasetId}\0${requestId}`);
  }

  /** The tenant's job, or `undefined` (for another tenant's job too). */
  job(tenant: string, id: string): Job | undefined {
    const j = this.#jobs.get(id);
    return j && j.tenant === tenant ? j : undefined;
  }

  /** Any job, whoever owns it (control API). */
  jobById(id: string): Job | undefined {
    return this.#jobs.get(id);
  }

  jobsOf(tenant: string): Job[] {
    return [...this.#jobs.values()].filter((j) => j.tenant === tenant);
  }

  allJobs(): Job[] {
    return [...this.#jobs.values()];
  }

  /** Starts a job over an uploaded NDJSON body; the bytes are captured now, so a later PUT changes nothing. */
  start(init: { tenant: string; datasetId: string; type: UploadJobType; requestId: string; update: boolean; body: Buffer }): Job {
    // The lines are views into the uploaded buffer: no copy. Released when the job ends.
    const lines = splitLines(init.body);
    const job: Job = {
      id: newId('job'),
      tenant: init.tenant,
      datasetId: init.datasetId,
      type: init.type,
      requestId: init.requestId,
      update: init.update,
      createdAt: this.#clock.now(),
      status: 'Queued',
      message: `Job is queued: ${lines.length} lines received.`,
      jobProgress: undefined,
      lines,
      received: lines.length,
      bytes: init.body.length,
      released: false,
      cursor: 0,
      totalSteps: Math.max(1, Math.ceil(lines.length / this.#timing.linesPerStep)),
      completedSteps: 0,
      accepted: 0,
      rejected: 0,
      added: 0,
      updated: 0,
      unchanged: 0,
      errors: [],
      errorCount: 0,
      pinned: false,
      timer: undefined,
    };
    this.lines.received += lines.length;
    this.#heldBytes += job.bytes;
    this.#jobs.set(job.id, job);
    this.#byRequest.set(`${init.tenant}\0${init.datasetId}\0${init.requestId}`, job);
    this.#schedule(job);
    return job;
  }

  /** `GET job/{id}` answer. */
  statusBody(job: Job): JsonObject {
    const q = this.#timing.quirks ?? {};
    const progress = job.jobProgress ?? formatProgress(job.completedSteps, job.totalSteps);
    const num = (n: number | string): Json => (q.numbersAsNumbers && (typeof n === 'number' || /^\d+(\.\d+)?$/.test(n)) ? Number(n) : String(n));
    return {
      job_id: job.id,
      status: job.status,
      message: job.message,
      job_progress: num(progress),
      completed_steps: num(job.completedSteps),
      [q.totalStepsColon ? 'total_steps:' : 'total_steps']: num(job.totalSteps),
    };
  }

  /** The job-info object (`GET job/{id}/info`, `POST jobs/`, job-starting operations). */
  infoBody(job: Job): JsonObject {
    return {
      job_id: job.id,
      job_last_known_status: job.status,
      job_type: job.type,
      job_creation_time: new Date(Math.floor(job.createdAt / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
    };
  }

  /** The most recent {@link MAX_JOB_ERRORS} error strings, oldest first. */
  errorsOf(job: Job): string[] {
    return job.errors.slice(-MAX_JOB_ERRORS);
  }

  state(job: Job): JobState {
    return {
      jobId: job.id,
      datasetId: job.datasetId,
      jobType: job.type,
      requestId: job.requestId,
      status: job.status,
      message: job.message,
      jobProgress: job.jobProgress ?? formatProgress(job.completedSteps, job.totalSteps),
      completedSteps: job.completedSteps,
      totalSteps: job.totalSteps,
      linesReceived: job.received,
      linesAccepted: job.accepted,
      linesRejected: job.rejected,
      linesPending: job.received - job.cursor,
      added: job.added,
      updated: job.updated,
      unchanged: job.unchanged,
      errorCount: job.errorCount,
      pinned: job.pinned,
      createdAt: this.infoBody(job)['job_creation_time'] as string,
    };
  }

  /** Cancels a job that has not ended; a job that has ended stays as it is. Answers whether it was cancelled. */
  cancel(job: Job): boolean {
    if (isTerminalStatus(job.status)) return false;
    this.#clear(job);
    job.status = 'Cancelled';
    job.message =
      `Job cancelled: ${job.received} lines received: ${job.accepted} accepted, ${job.rejected} rejected, ` +
      `${job.received - job.cursor} not processed.`;
    this.#release(job);
    return true;
  }

  /** Forces a job into a state (any string, known or not). Pinned jobs are left alone by the engine. */
  force(job: Job, forced: ForcedJobState): void {
    this.#clear(job);
    job.status = forced.status;
    if (forced.message !== undefined) job.message = forced.message;
    if (forced.jobProgress !== undefined) job.jobProgress = forced.jobProgress;
    if (forced.completedSteps !== undefined) job.completedSteps = forced.completedSteps;
    if (forced.totalSteps !== undefined) job.totalSteps = forced.totalSteps;
    job.pinned = forced.pin ?? true;
    // An ended job's upload is not needed: it would count against the storage limit for good.
    if (isTerminalStatus(job.status)) this.#release(job);
    if (!job.pinned) this.#schedule(job);
  }

  pause(): void {
    this.#paused = true;
    for (const job of this.#jobs.values()) this.#clear(job);
  }

  /** Resumes: every job that was waiting waits one full queue or step delay from now. */
  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    for (const job of this.#jobs.values()) this.#schedule(job);
  }

  /** Stops every timer for good (server close). */
  dispose(): void {
    this.#disposed = true;
    for (const job of this.#jobs.values()) this.#clear(job);
  }

  // -------------------------------------------------------------------------------------------

  /** Drops an ended job's upload: what it accepted is in the dataset, its tally in its counters. */
  #release(job: Job): void {
    if (job.released) return;
    job.released = true;
    job.lines = [];
    this.#heldBytes -= job.bytes;
  }

  #clear(job: Job): void {
    if (job.timer !== undefined) this.#clock.clearTimeout(job.timer);
    job.timer = undefined;
  }

  #schedule(job: Job): void {
    if (this.#paused || this.#disposed || job.pinned || job.timer !== undefined) return;
    if (job.status === 'Queued') {
      job.timer = this.#clock.setTimeout(() => {
        job.timer = undefined;
        job.status = 'Running';
        job.message = this.#runningMessage(job);
        this.#schedule(job);
      }, this.#timing.queueMs);
    } else if (job.status === 'Running') {
      job.timer = this.#clock.setTimeout(() => {
        job.timer = undefined;
        this.#step(job);
        this.#schedule(job);
      }, this.#timing.stepMs);
    }
  }

  #runningMessage(job: Job): string {
    return `Processing: ${job.cursor} of ${job.received} lines done (${job.accepted} accepted, ${job.rejected} rejected).`;
  }

  #step(job: Job): void {
    const ds = this.#store.datasetById(job.datasetId);
    const end = Math.min(job.lines.length, job.cursor + this.#timing.linesPerStep);
    for (; job.cursor < end; job.cursor++) {
      const line = job.lines[job.cursor]!;
      let error: string | undefined;
      try {
        error = ds ? this.#apply(job, ds, line) : lineError(line.n, 'The dataset no longer exists.');
      } catch {
        // Whatever went wrong (a pathological line), the line is rejected, never dropped.
        error = lineError(line.n, `Line ${line.n} could not be processed.`);
      }
      if (error === undefined) {
        job.accepted++;
        this.lines.accepted++;
      } else {
        job.rejected++;
        this.lines.rejected++;
        job.errorCount++;
        job.errors.push(error);
        // Trim in batches: at most MAX_JOB_ERRORS + 1000 records are ever held.
        if (job.errors.length > MAX_JOB_ERRORS + 1000) job.errors.splice(0, job.errors.length - MAX_JOB_ERRORS);
      }
    }
    job.completedSteps = Math.min(job.totalSteps, job.completedSteps + 1);
    if (job.cursor >= job.lines.length) {
      job.completedSteps = job.totalSteps;
      this.#finish(job);
    } else {
      job.message = this.#runningMessage(job);
    }
  }

  #finish(job: Job): void {
    this.#release(job);
    const n = job.received;
    // Lines a job let go of before processing them (cancelled or forced, then forced to run again).
    const skipped = n - job.cursor;
    const tally =
      `${n} lines received: ${job.accepted} accepted (${job.added} added, ${job.updated} updated, ${job.unchanged} unchanged), ` +
      `${job.rejected} rejected${skipped > 0 ? `, ${skipped} not processed` : ''}.`;
    if (job.rejected === 0 && skipped === 0) {
      job.status = 'Completed';
      job.message = `Job completed successfully. ${tally}`;
    } else if (job.accepted > 0) {
      job.status = 'Errored_Partial';
      job.message = `Job completed with errors: ${tally} See job/${job.id}/errors.`;
    } else {
      job.status = 'Errored_User';
      job.message = `Job failed: ${skipped > 0 ? 'no line was accepted' : 'every line was rejected'}. ${tally} See job/${job.id}/errors.`;
    }
  }

  /** Applies one line to the dataset: `undefined` when accepted, else its error record. */
  #apply(job: Job, ds: Dataset, line: Line): string | undefined {
    let text: string;
    try {
      text = this.#decoder.decode(line.bytes);
    } catch {
      return lineError(line.n, `Line ${line.n} is not valid UTF-8.`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return lineError(line.n, `Line ${line.n} is not valid JSON.`);
    }
    if (!isObject(parsed)) return lineError(line.n, `Line ${line.n} is not a JSON object.`);

    if (job.type === 'uploadDatasetItems') {
      const checked = checkItem(parsed);
      if (!checked.ok) return itemError(parsed, checked.error);
      this.#upsert(job, ds.items, checked.value.referenceId, parsed);
      return undefined;
    }
    const checked = checkAnnotation(parsed);
    if (!checked.ok) return annotationError(parsed, checked.error);
    const { referenceId, annotationId } = checked.value;
    if (!ds.items.has(referenceId)) return annotationError(parsed, `Item with id ${referenceId} doesn't exist.`);
    const key = `${referenceId}\0${annotationId ?? newId('ann')}`;
    this.#upsert(job, ds.annotations, key, parsed);
    return undefined;
  }

  #upsert(job: Job, into: Map<string, JsonObject>, key: string, value: JsonObject): void {
    const copy: JsonObject = {};
    for (const k of Object.keys(value)) setOwn(copy, k, value[k]);
    if (!into.has(key)) {
      into.set(key, copy);
      job.added++;
    } else if (job.update) {
      into.set(key, copy);
      job.updated++;
    } else {
      job.unchanged++;
    }
  }
}
