/**
 * The chaos suite: many jobs of varied sizes and outcomes, run through the real client and AsyncJob
 * against the emulator with every kind of fault injected, each job checked against the truth the
 * emulator's control API reports. See docs/reliability.md.
 *
 * @example
 * ```ts
 * const report = await runChaos({ jobs: 100, seed: 1 });
 * console.log(formatReport(report));
 * process.exitCode = report.violations.length > 0 ? 1 : 0;
 * ```
 */
import { fetch as crossFetch } from 'cross-fetch';
import { firstValueFrom, from, lastValueFrom, map, mergeMap, toArray, type Observable } from 'rxjs';
import {
  AsyncJob,
  concatJobs,
  exponentialBackoff,
  isJobCancelledError,
  isJobError,
  isTerminal,
  NucleusClient,
  sameSnapshot,
  type FetchLike,
  type JobErrorRecord,
  type JobInfo,
  type JobSnapshot,
  type StepSnapshot,
} from '../../../lib/index.js';
import { DEMO_API_KEY, FAULT_KINDS, startEmulator, type EmulatorHandle, type FaultKind, type JobState } from '../../../lib/emulator/index.js';
import { mulberry32 } from '../../../bench/policy/rng.js';

export interface ChaosConfig {
  /** Jobs to run (each step of a chain is a job). */
  readonly jobs: number;
  /** Jobs in flight at once. Default 48. */
  readonly concurrency?: number;
  /** Seed of the scenario mix and of the emulator's faults. Default 1. */
  readonly seed?: number;
  /** Share of API requests that get a fault, spread over every kind. Default 0.25. */
  readonly faultRate?: number;
  /** Longest a single job may take before it counts as hung, ms. Default 120000. */
  readonly jobTimeoutMs?: number;
  /** Progress lines go here (default: nowhere). */
  readonly log?: (line: string) => void;
}

export interface Violation {
  readonly job: string;
  readonly kind: string;
  readonly detail: string;
}

export interface ChaosReport {
  readonly jobs: number;
  readonly jobsCorrect: number;
  readonly byScenario: Record<string, { jobs: number; correct: number }>;
  readonly byTrueStatus: Record<string, number>;
  readonly apiRequests: number;
  readonly faults: Record<FaultKind, number>;
  readonly faultRate: number;
  readonly fetchAttempts: number;
  readonly failedAttempts: number;
  readonly retries: number;
  readonly retryAfterWaitsChecked: number;
  readonly chainsStoppedAfterFailure: number;
  readonly errorLinesExpected: number;
  readonly errorLinesSeenLive: number;
  readonly unhandled: number;
  readonly violations: readonly Violation[];
  readonly wallMs: number;
}

// ---------------------------------------------------------------------------------------------
// scenarios
// ---------------------------------------------------------------------------------------------

type Scenario =
  | { readonly kind: 'items'; readonly id: string; readonly lines: number }
  | { readonly kind: 'annotations'; readonly id: string; readonly good: number; readonly bad: number }
  | { readonly kind: 'cancel'; readonly id: string; readonly lines: number; readonly afterMs: number }
  | { readonly kind: 'force'; readonly id: string; readonly lines: number; readonly afterMs: number }
  | { readonly kind: 'chain'; readonly id: string; readonly failMiddle: boolean };


const SIZES = [1, 2, 7, 20, 50, 120, 300, 800, 2000] as const;

function scenarios(total: number, seed: number): Scenario[] {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const out: Scenario[] = [];
  let jobs = 0;
  for (let i = 0; jobs < total; i++) {
    const id = `s${i}`;
    const r = rnd();
    if (r < 0.45) {
      out.push({ kind: 'items', id, lines: pick(SIZES) });
      jobs += 1;
    } else if (r < 0.7) {
      const size = pick(SIZES.slice(0, 7));
      const badShare = pick([0, 0, 0.1, 0.5, 1]);
      const bad = Math.round(size * badShare);
      out.push({ kind: 'annotations', id, good: size - bad, bad });
      jobs += 1;
    } else if (r < 0.8) {
      out.push({ kind: 'cancel', id, lines: pick([50, 300, 800, 2000]), afterMs: Math.floor(rnd() * 400) });
      jobs += 1;
    } else if (r < 0.85) {
      out.push({ kind: 'force', id, lines: pick([50, 300, 800]), afterMs: Math.floor(rnd() * 400) });
      jobs += 1;
    } else if (total - jobs >= 3) {
      // A chain whose middle step fails runs two jobs: its third is never submitted.
      const failMiddle = rnd() < 0.5;
      out.push({ kind: 'chain', id, failMiddle });
      jobs += failMiddle ? 2 : 3;
    } else {
      out.push({ kind: 'items', id, lines: pick(SIZES) });
      jobs += 1;
    }
  }
  return out;
}

const BASE_ITEMS = 40;
const item = (ref: string) => ({ reference_id: ref, image_url: `s3://chaos-bucket/${ref}.jpg`, metadata: { chaos: true } });
const box = (ref: string, annotationId: string) => ({
  type: 'box' as const,
  label: 'car',
  reference_id: ref,
  annotation_id: annotationId,
  geometry: { x: 1, y: 2, width: 3, height: 4 },
});

// ---------------------------------------------------------------------------------------------
// instrumented fetch: attempts, failures, retries, Retry-After compliance
// ---------------------------------------------------------------------------------------------

interface FetchStats {
  attempts: number;
  failed: number;
  retries: number;
  retryAfterChecked: number;
}

function instrumentedFetch(stats: FetchStats, violation: (v: Violation) => void): FetchLike {
  // Per request target: whether the last attempt failed, and the Retry-After it asked for.
  const last = new Map<string, { failed: boolean; retryAfterMs?: number; at: number }>();
  const inner = crossFetch as unknown as FetchLike;
  return async (url, init) => {
    // One logical request: same method, URL and body (jobs of one dataset share their URLs).
    const key = `${init.method} ${url} ${init.body ?? ''}`;
    stats.attempts++;
    const prev = last.get(key);
    const now = Date.now();
    if (prev?.failed) stats.retries++;
    if (prev?.retryAfterMs !== undefined) {
      stats.retryAfterChecked++;
      // Timers may fire a millisecond or two early after rounding: allow a small tolerance.
      if (now - prev.at < prev.retryAfterMs - 15) {
        violation({ job: key.slice(0, 160), kind: 'retry-after-ignored', detail: `asked to wait ${prev.retryAfterMs} ms, came back after ${now - prev.at} ms` });
      }
    }
    const mark = (failed: boolean, retryAfterMs?: number): void => {
      last.set(key, { failed, at: Date.now(), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
      if (failed) stats.failed++;
    };
    let res: Awaited<ReturnType<FetchLike>>;
    try {
      res = await inner(url, init);
    } catch (e) {
      mark(true);
      throw e;
    }
    const status = res.status;
    const ra = res.headers.get('retry-after');
    return {
      status,
      headers: res.headers,
      text: async () => {
        try {
          const text = await res.text();
          const notJson = status >= 200 && status < 300 && text !== '' && !/^\s*[[{"]/.test(text);
          mark(status >= 400 || notJson, status === 429 && ra !== null && /^\d+$/.test(ra) ? Number(ra) * 1000 : undefined);
          return text;
        } catch (e) {
          mark(true);
          throw e;
        }
      },
    };
  };
}

// ---------------------------------------------------------------------------------------------
// checks
// ---------------------------------------------------------------------------------------------

const RANK: Record<string, number> = { Queued: 0, Running: 1 };
const rank = (s: JobSnapshot): number => (isTerminal(s) ? 2 : (RANK[s.status] ?? 1));

/** Checks one job's snapshot sequence against its true final state. */
function checkSnapshots(label: string, snaps: readonly JobSnapshot[], truth: JobState | undefined, out: Violation[]): void {
  const v = (kind: string, detail: string): void => void out.push({ job: label, kind, detail });
  if (!truth) return v('unknown-job', 'the emulator does not know this job');
  if (snaps.length === 0) return v('no-snapshot', 'the stream ended without a snapshot');
  const last = snaps[snaps.length - 1]!;
  if (!isTerminal(last)) v('not-terminal', `last snapshot is ${last.status}`);
  if (last.status !== truth.status) v('wrong-terminal', `stream ended on ${last.status}, the emulator says ${truth.status}`);
  snaps.forEach((s, i) => {
    if (s.jobId !== truth.jobId) v('wrong-job', `snapshot of ${s.jobId}`);
    if (i < snaps.length - 1 && isTerminal(s)) v('terminal-not-last', `${s.status} at ${i} of ${snaps.length}`);
    if (i === 0) return;
    const p = snaps[i - 1]!;
    if (sameSnapshot(p, s)) v('duplicate', `${s.status} ${s.progress} twice in a row`);
    if (rank(s) < rank(p)) v('regressed-status', `${p.status} -> ${s.status}`);
    if (p.progress !== undefined && s.progress !== undefined && s.progress < p.progress) v('regressed-progress', `${p.progress} -> ${s.progress}`);
    if (p.completedSteps !== undefined && s.completedSteps !== undefined && s.completedSteps < p.completedSteps) {
      v('regressed-steps', `${p.completedSteps} -> ${s.completedSteps}`);
    }
  });
}

/** Live errors: every expected error line exactly once (by annotation id), and as many as the emulator recorded. */
function checkLiveErrors(label: string, records: readonly JobErrorRecord[], truth: JobState | undefined, expectedIds: readonly string[], out: Violation[]): void {
  const v = (kind: string, detail: string): void => void out.push({ job: label, kind, detail });
  if (!truth) return;
  if (records.length !== truth.errorCount) v('live-errors-count', `saw ${records.length} error lines live, the emulator recorded ${truth.errorCount}`);
  const seen = new Map<string, number>();
  for (const r of records) seen.set(r.annotationId ?? r.raw, (seen.get(r.annotationId ?? r.raw) ?? 0) + 1);
  for (const id of expectedIds) {
    const n = seen.get(id) ?? 0;
    if (n !== 1) v('live-errors-line', `error of ${id} seen ${n} times`);
  }
  if (seen.size !== expectedIds.length) v('live-errors-extra', `${seen.size} distinct lines, ${expectedIds.length} expected`);
}

// ---------------------------------------------------------------------------------------------
// the run
// ---------------------------------------------------------------------------------------------

function faultProbabilities(rate: number): Partial<Record<FaultKind, number>> {
  // Weights per kind: every kind present, rate limits and 5xx the most common, as in production.
  const weights: Record<FaultKind, number> = { http429: 3, http500: 2, http502: 1.5, http503: 2, http504: 1.5, reset: 2, delay: 2, truncate: 1.5, nonJson: 1.5 };
  const sum = FAULT_KINDS.reduce((a, k) => a + weights[k], 0);
  return Object.fromEntries(FAULT_KINDS.map((k) => [k, (rate * weights[k]) / sum]));
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} hung for ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export async function runChaos(config: ChaosConfig): Promise<ChaosReport> {
  const started = Date.now();
  const seed = config.seed ?? 1;
  const concurrency = config.concurrency ?? 48;
  const faultRate = config.faultRate ?? 0.25;
  const jobTimeoutMs = config.jobTimeoutMs ?? 120_000;
  const log = config.log ?? (() => undefined);
  const violations: Violation[] = [];
  const violation = (v: Violation): void => void violations.push(v);

  let unhandled = 0;
  const onUnhandled = (e: unknown): void => {
    unhandled++;
    violation({ job: '-', kind: 'unhandled', detail: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  };
  process.on('unhandledRejection', onUnhandled);
  process.on('uncaughtExceptionMonitor', onUnhandled);

  const emu: EmulatorHandle = await startEmulator({ queueMs: 40, stepMs: 40, linesPerStep: 100, requestTimeoutMs: 30_000 });
  const stats: FetchStats = { attempts: 0, failed: 0, retries: 0, retryAfterChecked: 0 };
  const policy = exponentialBackoff({ initialDelayMs: 20, maxDelayMs: 250, failureDelayMs: 40, maxFailureDelayMs: 400 });
  const client = new NucleusClient({
    apiKey: DEMO_API_KEY,
    endpoint: emu.url,
    fetch: instrumentedFetch(stats, violation),
    retry: { maxRetries: 6, initialDelayMs: 30, factor: 2, maxDelayMs: 400, maxRetryAfterMs: 10_000 },
    timeoutMs: 5_000,
  });
  // Whatever the client's job type becomes, the harness works on AsyncJobs with the fast policy.
  const toJob = (x: JobInfo | AsyncJob): AsyncJob => (x instanceof AsyncJob ? x : new AsyncJob(x, client, { policy }));
  const submit = (o: Observable<JobInfo | AsyncJob>): Observable<AsyncJob> => o.pipe(map(toJob));

  const plan = scenarios(config.jobs, seed);
  const byScenario: Record<string, { jobs: number; correct: number }> = {};
  const byTrueStatus: Record<string, number> = {};
  let jobsRun = 0;
  let jobsCorrect = 0;
  let chainsStopped = 0;
  let errorLinesExpected = 0;
  let errorLinesSeen = 0;

  try {
    // Datasets and their base items are set up before faults are on: `POST dataset/create` is not
    // idempotent (a retry after a lost answer would create a second dataset), so the client rightly
    // does not retry it on every fault; the jobs are what is under test.
    const datasets: string[] = [];
    const nDatasets = Math.max(1, Math.ceil(plan.length / 25));
    for (let d = 0; d < nDatasets; d++) {
      const ds = await firstValueFrom(client.createDataset({ name: `chaos-${d}` }));
      const base = await firstValueFrom(submit(ds.append(Array.from({ length: BASE_ITEMS }, (_, i) => item(`base_${i}`)), { asynchronous: true })));
      await lastValueFrom(base);
      datasets.push(ds.id);
    }
    emu.control.resetCounters();
    emu.control.setFaults({ seed, probabilities: faultProbabilities(faultRate), retryAfterSeconds: 1, delayMs: 150 });
    log(`chaos: ${config.jobs} jobs in ${plan.length} scenarios, ${datasets.length} datasets, fault rate ${faultRate}, seed ${seed}`);

    let done = 0;
    const runOne = async (sc: Scenario, index: number): Promise<void> => {
      const ds = client.dataset(datasets[index % datasets.length]!);
      const local: Violation[] = [];
      const count = (n: number, ok: boolean): void => {
        const e = (byScenario[sc.kind] ??= { jobs: 0, correct: 0 });
        e.jobs += n;
        jobsRun += n;
        if (ok) {
          e.correct += n;
          jobsCorrect += n;
        }
      };

      // One job: its snapshots and live errors, subscribed together (they share one polling loop).
      const follow = async (job: AsyncJob, label: string, expectedErrorIds: readonly string[]): Promise<void> => {
        const snaps: JobSnapshot[] = [];
        const snaps$ = new Promise<void>((resolve) => {
          job.subscribe({
            next: (s) => {
              snaps.push(s);
            },
            error: (e: unknown) => {
              local.push({ job: label, kind: 'stream-error', detail: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
              resolve();
            },
            complete: resolve,
          });
        });
        const live = lastValueFrom(job.errors$({ live: true }).pipe(toArray()), { defaultValue: [] as JobErrorRecord[] }).catch((e: unknown) => {
          local.push({ job: label, kind: 'live-errors-error', detail: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
          return undefined;
        });
        const [, records] = await withTimeout(Promise.all([snaps$, live]), jobTimeoutMs, label);
        const truth = emu.control.jobState(job.jobId);
        checkSnapshots(label, snaps, truth, local);
        if (records) checkLiveErrors(label, records, truth, expectedErrorIds, local);
        errorLinesExpected += truth?.errorCount ?? 0;
        errorLinesSeen += records?.length ?? 0;
        if (truth) byTrueStatus[truth.status] = (byTrueStatus[truth.status] ?? 0) + 1;
      };

      const label = `${sc.id}/${sc.kind}`;
      let chainJobs = 0;
      try {
        if (sc.kind === 'items') {
          const job = toJob(await withTimeout(firstValueFrom(submit(ds.append(Array.from({ length: sc.lines }, (_, i) => item(`${sc.id}_${i}`)), { asynchronous: true }))), jobTimeoutMs, `${label} submit`));
          await follow(job, `${label}(${sc.lines})`, []);
        } else if (sc.kind === 'annotations') {
          const anns = [
            ...Array.from({ length: sc.good }, (_, i) => box(`base_${i % BASE_ITEMS}`, `${sc.id}_ok_${i}`)),
            ...Array.from({ length: sc.bad }, (_, i) => box(`missing_${sc.id}_${i}`, `${sc.id}_bad_${i}`)),
          ];
          const job = toJob(await withTimeout(firstValueFrom(submit(ds.annotate(anns, { asynchronous: true }))), jobTimeoutMs, `${label} submit`));
          await follow(job, `${label}(${sc.good}+${sc.bad})`, Array.from({ length: sc.bad }, (_, i) => `${sc.id}_bad_${i}`));
        } else if (sc.kind === 'cancel' || sc.kind === 'force') {
          const job = toJob(await withTimeout(firstValueFrom(submit(ds.append(Array.from({ length: sc.lines }, (_, i) => item(`${sc.id}_${i}`)), { asynchronous: true }))), jobTimeoutMs, `${label} submit`));
          const timer = setTimeout(() => {
            try {
              // Like a real server: a job that has ended never changes (forcing would rewrite history).
              const now = emu.control.jobState(job.jobId);
              if (sc.kind === 'cancel') emu.control.cancelJob(job.jobId);
              else if (now && (now.status === 'Queued' || now.status === 'Running')) {
                emu.control.forceJobState(job.jobId, { status: 'Errored_Server', message: 'chaos: forced server error' });
              }
            } catch (e) {
              local.push({ job: label, kind: 'harness', detail: String(e) });
            }
          }, sc.afterMs);
          try {
            await follow(job, `${label}(${sc.lines})`, []);
          } finally {
            clearTimeout(timer);
          }
        } else {
          // append -> annotate (fails when failMiddle) -> append: the last step must never be submitted after a failure.
          let lastSubmitted = 0;
          const steps: StepSnapshot[] = [];
          const middle = sc.failMiddle ? [box(`missing_${sc.id}`, `${sc.id}_bad`), box('base_0', `${sc.id}_ok`)] : [box('base_1', `${sc.id}_ok`)];
          const chain$ = concatJobs(
            () => submit(ds.append([item(`${sc.id}_a`), item(`${sc.id}_b`)], { asynchronous: true })),
            () => submit(ds.annotate(middle, { asynchronous: true })),
            () => {
              lastSubmitted++;
              return submit(ds.append([item(`${sc.id}_c`)], { asynchronous: true }));
            },
          );
          let chainError: unknown;
          await withTimeout(
            new Promise<void>((resolve) => {
              chain$.subscribe({ next: (s) => steps.push(s), error: (e: unknown) => ((chainError = e), resolve()), complete: resolve });
            }),
            jobTimeoutMs,
            label,
          );
          // completeOrThrow turns a failed step's terminal snapshot into the JobError that carries it.
          if (isJobError(chainError) || isJobCancelledError(chainError)) steps.push(chainError.snapshot as StepSnapshot);
          const byStep = [0, 1, 2].map((i) => steps.filter((s) => s.step === i));
          chainJobs = byStep.filter((b) => b.length > 0).length;
          byStep.forEach((snaps, i) => {
            if (snaps.length > 0) {
              const truth = emu.control.jobState(snaps[0]!.jobId);
              checkSnapshots(`${label}#${i}`, snaps, truth, local);
              if (truth) byTrueStatus[truth.status] = (byTrueStatus[truth.status] ?? 0) + 1;
            }
          });
          const middleTruth = byStep[1]!.length > 0 ? emu.control.jobState(byStep[1]![0]!.jobId) : undefined;
          if (sc.failMiddle) {
            if (!isJobError(chainError)) local.push({ job: label, kind: 'chain-no-error', detail: `ended with ${String(chainError)}` });
            else if (!chainError.errors.some((r) => r.annotationId === `${sc.id}_bad`)) {
              local.push({ job: label, kind: 'chain-error-records', detail: `JobError carries ${chainError.errors.length} records, not the failed line` });
            }
            if (lastSubmitted !== 0) local.push({ job: label, kind: 'chain-submitted-after-failure', detail: `step 3 submitted ${lastSubmitted} times` });
            else chainsStopped++;
            if (middleTruth?.status !== 'Errored_Partial') local.push({ job: label, kind: 'chain-middle', detail: `middle step is ${middleTruth?.status}` });
          } else {
            if (chainError !== undefined) local.push({ job: label, kind: 'chain-error', detail: String(chainError) });
            if (lastSubmitted !== 1) local.push({ job: label, kind: 'chain-last-step', detail: `step 3 submitted ${lastSubmitted} times` });
          }
        }
      } catch (e) {
        local.push({ job: label, kind: 'failed', detail: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
      }
      violations.push(...local);
      count(sc.kind === 'chain' ? Math.max(1, chainJobs) : 1, local.length === 0);
      done++;
      if (done % 50 === 0) log(`  ${done}/${plan.length} scenarios, ${violations.length} violations`);
    };

    await lastValueFrom(from(plan.map((sc, i) => [sc, i] as const)).pipe(mergeMap(([sc, i]) => runOne(sc, i), concurrency)), { defaultValue: undefined });
    // Let stray timers or late rejections surface before the verdict.
    await new Promise((r) => setTimeout(r, 200));
  } finally {
    process.off('unhandledRejection', onUnhandled);
    process.off('uncaughtExceptionMonitor', onUnhandled);
  }

  const counters = emu.control.counters();
  await emu.close();
  const apiRequests = Object.entries(counters.requests)
    .filter(([k]) => !['preflight', 'control', 'unmatched'].includes(k))
    .reduce((a, [, n]) => a + n, 0);
  const totalFaults = FAULT_KINDS.reduce((a, k) => a + counters.faults[k], 0);
  return {
    jobs: jobsRun,
    jobsCorrect,
    byScenario,
    byTrueStatus,
    apiRequests,
    faults: counters.faults,
    faultRate: apiRequests === 0 ? 0 : totalFaults / apiRequests,
    fetchAttempts: stats.attempts,
    failedAttempts: stats.failed,
    retries: stats.retries,
    retryAfterWaitsChecked: stats.retryAfterChecked,
    chainsStoppedAfterFailure: chainsStopped,
    errorLinesExpected,
    errorLinesSeenLive: errorLinesSeen,
    unhandled,
    violations,
    wallMs: Date.now() - started,
  };
}

/** The report as a plain-text table. */
export function formatReport(r: ChaosReport): string {
  const rows: [string, string][] = [
    ['jobs run', String(r.jobs)],
    ['jobs correct', `${r.jobsCorrect} (${((100 * r.jobsCorrect) / Math.max(1, r.jobs)).toFixed(1)} %)`],
    ...Object.entries(r.byScenario).map(([k, v]): [string, string] => [`  scenario ${k}`, `${v.correct}/${v.jobs}`]),
    ...Object.entries(r.byTrueStatus).sort().map(([k, v]): [string, string] => [`  true final status ${k}`, String(v)]),
    ['API requests (emulator)', String(r.apiRequests)],
    ['faults injected', `${FAULT_KINDS.reduce((a, k) => a + r.faults[k], 0)} (${(100 * r.faultRate).toFixed(1)} % of API requests)`],
    ...FAULT_KINDS.map((k): [string, string] => [`  ${k}`, String(r.faults[k])]),
    ['fetch attempts (client)', String(r.fetchAttempts)],
    ['failed attempts', String(r.failedAttempts)],
    ['retries (attempts after a failure)', String(r.retries)],
    ['Retry-After waits checked', String(r.retryAfterWaitsChecked)],
    ['chains stopped after a failed step', String(r.chainsStoppedAfterFailure)],
    ['error lines recorded / seen live', `${r.errorLinesExpected} / ${r.errorLinesSeenLive}`],
    ['unhandled rejections/exceptions', String(r.unhandled)],
    ['violations', String(r.violations.length)],
    ['wall time', `${(r.wallMs / 1000).toFixed(1)} s`],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`);
  const byKind = new Map<string, number>();
  for (const v of r.violations) byKind.set(v.kind, (byKind.get(v.kind) ?? 0) + 1);
  if (r.violations.length > 0) {
    lines.push('', 'violations by kind:', ...[...byKind].map(([k, n]) => `  ${k}: ${n}`), '', 'first violations:');
    lines.push(...r.violations.slice(0, 30).map((v) => `  [${v.kind}] ${v.job}: ${v.detail}`));
  }
  return lines.join('\n');
}
