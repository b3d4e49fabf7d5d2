import { expect } from 'chai';
import { BehaviorSubject, concat, firstValueFrom, map, of, takeWhile, timer, type Observable, type SchedulerLike } from 'rxjs';
import { AsyncJob, isAsyncJob, type AsyncJobOptions } from '../lib/async-job.js';
import type { JobStatus } from '../lib/codecs/job.js';
import type { JobSnapshot } from '../lib/job-snapshot.js';
import {
  AuthenticationError,
  ConfigurationError,
  ConnectionError,
  DecodeError,
  JobTimeoutError,
  NotFoundError,
  RateLimitError,
  ServerError,
  isConfigurationError,
  isJobCancelledError,
  isJobError,
} from '../lib/errors.js';
import { jobOf } from '../lib/job-registry.js';
import { defaultPollingPolicy } from '../lib/policies/defaults.js';
import { exponentialBackoff } from '../lib/policies/exponential-backoff.js';
import type { PollState, PollingPolicy } from '../lib/polling-policy.js';
import { FakeApi, INFO, JOB_ID, snap, status, testScheduler } from './support/marbles.js';

const every = (ms: number) => () => ms;

const Q = status('Queued');
const R = status('Running', { progress: 0.5, completedSteps: 1, totalSteps: 2 });
const C = status('Completed', { message: 'Job completed successfully.', progress: 1, completedSteps: 2, totalSteps: 2 });
const EU = status('Errored_User', { message: 'Some annotations failed.' });

const serverError = (retryAfterMs?: number) =>
  new ServerError({ status: 503, method: 'GET', route: `job/${JOB_ID}`, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
const notFound = new NotFoundError({ status: 404, method: 'GET', route: `job/${JOB_ID}` });

describe('AsyncJob', () => {
  describe('identity', () => {
    it('carries the job info and is an Observable', () => {
      const job = new AsyncJob(INFO, new FakeApi([]));
      expect(isAsyncJob(job)).to.equal(true);
      expect(job.jobId).to.equal(JOB_ID);
      expect(job.jobType).to.equal('uploadDatasetItems');
      expect(job.createdAt).to.equal('2026-11-28T10:00:00Z');
      expect(job.lastKnownStatus).to.equal('Queued');
      expect(job.latest).to.equal(undefined);
      expect(typeof job.pipe).to.equal('function');
    });

    it('serialises to its identity only, never the client behind it', () => {
      const api = new FakeApi([]);
      (api as unknown as { secret: string }).secret = 'sk_live_123';
      const job = new AsyncJob(INFO, api);
      const json = JSON.stringify(job);
      expect(JSON.parse(json)).to.deep.equal({ ...INFO });
      expect(json).not.to.include('sk_live_123');
    });

    it('rejects options it could not run with, by a ConfigurationError', () => {
      const bad: [AsyncJobOptions, RegExp][] = [
        [{ maxWait: -1 }, /^AsyncJob: maxWait must be a non-negative number/],
        [{ maxWait: Number.NaN }, /maxWait/],
        [{ maxWait: null as unknown as number }, /maxWait/],
        [{ maxWait: '500' as unknown as number }, /maxWait/],
        [{ policy: 5 as unknown as PollingPolicy }, /^AsyncJob: policy must be a function/],
        [{ errorsPolicy: {} as unknown as PollingPolicy }, /errorsPolicy must be a function/],
        [{ scheduler: {} as SchedulerLike }, /scheduler must be an rxjs SchedulerLike/],
        [{ pause$: true as unknown as Observable<boolean> }, /pause\$ must be an Observable/],
      ];
      for (const [options, message] of bad) expect(() => new AsyncJob(INFO, new FakeApi([]), options), String(message)).to.throw(ConfigurationError, message);
      for (const maxWait of [0, 1, Infinity, undefined]) expect(() => new AsyncJob(INFO, new FakeApi([]), { maxWait })).not.to.throw();
    });
  });

  describe('polling', () => {
    it('polls at once, then on the policy, emits only changes, completes after the terminal snapshot', () => {
      const ts = testScheduler();
      ts.run(({ cold, expectObservable, expectSubscriptions }) => {
        const s1 = cold('-(q|)', { q: Q });
        const s2 = cold('-(q|)', { q: Q });
        const s3 = cold('-(r|)', { r: R });
        const s4 = cold('-(c|)', { c: C });
        const job = new AsyncJob(INFO, new FakeApi([s1, s2, s3, s4]), { scheduler: ts, policy: every(5) });
        expectObservable(job).toBe('- a 11ms b 5ms (c|)', { a: snap(Q, 1), b: snap(R, 13), c: snap(C, 19) });
        expectSubscriptions(s1.subscriptions).toBe('^!');
        expectSubscriptions(s2.subscriptions).toBe('6ms ^!');
        expectSubscriptions(s3.subscriptions).toBe('12ms ^!');
        expectSubscriptions(s4.subscriptions).toBe('18ms ^!');
      });
    });

    it('backs off exponentially between polls, up to the cap', () => {
      const ts = testScheduler();
      ts.run(({ cold, expectObservable, expectSubscriptions }) => {
        const s = cold('-(q|)', { q: Q });
        const policy = exponentialBackoff({ initialDelayMs: 2, factor: 2, maxDelayMs: 8, jitter: 0 });
        const job = new AsyncJob(INFO, new FakeApi([s]), { scheduler: ts, policy });
        // Answers at 1, 4, 9, 18, 27: waits of 2, 4, 8, 8 (capped).
        expectObservable(job, '^ 29ms !').toBe('-a', { a: snap(Q, 1) });
        expectSubscriptions(s.subscriptions).toBe(['^!', '3ms ^!', '8ms ^!', '17ms ^!', '26ms ^!']);
      });
    });

    it('stamps snapshots with the scheduler clock and records them as the latest', () => {
      const ts = testScheduler();
      let job!: AsyncJob;
      ts.run(({ cold, expectObservable }) => {
        job = new AsyncJob(INFO, new FakeApi([cold('--(r|)', { r: R }), cold('-(c|)', { c: C })]), { scheduler: ts, policy: every(3) });
        expectObservable(job).toBe('--a 3ms (b|)', { a: snap(R, 2), b: snap(C, 6) });
      });
      expect(job.latest).to.deep.equal(snap(C, 6));
      expect(job.lastKnownStatus).to.equal('Completed');
      expect(jobOf(job.latest!)).to.equal(job);
    });

    it('passes the policy what it observed', () => {
      const ts = testScheduler();
      const seen: PollState[] = [];
      ts.run(({ cold, expectObservable }) => {
        const policy = (s: PollState) => (seen.push(s), 4);
        const job = new AsyncJob(INFO, new FakeApi([cold('-(q|)', { q: Q }), cold('-(q|)', { q: Q }), cold('-(r|)', { r: R })]), {
          scheduler: ts,
          policy,
        });
        expectObservable(job, '^ 12ms !').toBe('- a 9ms b', { a: snap(Q, 1), b: snap(R, 11) });
      });
      expect(seen.map((s) => [s.attempt, s.failures, s.startedAt, s.now, s.snapshots.length])).to.deep.equal([
        [1, 0, 0, 1, 1],
        [2, 0, 0, 6, 1], // the same Queued again: not a new distinct snapshot
        [3, 0, 0, 11, 2],
      ]);
      expect(seen[2]!.snapshots.map((s) => s.status)).to.deep.equal(['Queued', 'Running']);
      expect(seen.map((s) => s.jobId)).to.deep.equal([JOB_ID, JOB_ID, JOB_ID]);
      expect(seen.every((s) => Object.isFrozen(s) && Object.isFrozen(s.snapshots))).to.equal(true);
    });

    it('brackets the latest change for the policy: changedAfter is when the answer before it came', () => {
      const ts = testScheduler();
      const seen: PollState[] = [];
      ts.run(({ cold, expectObservable }) => {
        const policy = (s: PollState) => (seen.push(s), 4);
        const failed = cold<JobStatus>('-#', {}, serverError());
        const R2 = status('Running', { progress: 0.5, completedSteps: 2, totalSteps: 4 });
        const answers = [cold('-(q|)', { q: Q }), cold('-(q|)', { q: Q }), cold('-(r|)', { r: R }), failed, cold('-(r|)', { r: R }), cold('-(r|)', { r: R2 })];
        const job = new AsyncJob(INFO, new FakeApi(answers), { scheduler: ts, policy });
        expectObservable(job, '^ 27ms !').toBe('- a 9ms b 14ms c', { a: snap(Q, 1), b: snap(R, 11), c: snap(R2, 26) });
      });
      // Answers at 1, 6 (Queued), 11 (Running): the change came after 6. The failure at 16 and the
      // unchanged answer at 21 keep that bracket; the change seen at 26 came after 21.
      expect(seen.map((s) => [s.now, s.changedAfter])).to.deep.equal([
        [1, undefined],
        [6, undefined],
        [11, 6],
        [16, 6],
        [21, 6],
        [26, 21],
      ]);
    });
  });

  describe('phases', () => {
    const terminal: [string, JobStatus][] = [
      ['Completed', C],
      ['Errored_User', EU],
      ['Errored_Server', status('Errored_Server')],
      ['Errored_Partial', status('Errored_Partial')],
      ['Errored_Hanging', status('Errored_Hanging')],
      ['Errored (deprecated)', status('Errored')],
      ['Cancelled', status('Cancelled')],
    ];
    for (const [name, st] of terminal) {
      it(`completes (does not error) after a ${name} snapshot`, () => {
        const ts = testScheduler();
        ts.run(({ cold, expectObservable, expectSubscriptions }) => {
          const s = cold('-(x|)', { x: st });
          const job = new AsyncJob(INFO, new FakeApi([s]), { scheduler: ts, policy: every(5) });
          expectObservable(job).toBe('-(a|)', { a: snap(st, 1) });
          expectSubscriptions(s.subscriptions).toBe('^!');
        });
      });
    }

    for (const name of ['Queued', 'Running', 'Retried', 'Paused_For_Maintenance']) {
      it(`keeps polling after a ${name} snapshot (pending)`, () => {
        const ts = testScheduler();
        ts.run(({ cold, expectObservable, expectSubscriptions }) => {
          const st = status(name);
          const s = cold('-(x|)', { x: st });
          const job = new AsyncJob(INFO, new FakeApi([s]), { scheduler: ts, policy: every(5) });
          expectObservable(job, '^ 10ms !').toBe('-a', { a: snap(st, 1) });
          expectSubscriptions(s.subscriptions).toBe(['^!', '6ms ^!']);
        });
      });
    }

    it('emits a snapshot when only the progress or message changed', () => {
      const ts = testScheduler();
      ts.run(({ cold, expectObservable }) => {
        const r1 = status('Running', { progress: 0.25 });
        const r2 = status('Running', { progress: 0.5 });
        const r3 = status('Running', { progress: 0.5, message: { result: ['s3://a'] } });
        const r4 = status('Running', { progress: 0.5, message: { result: ['s3://a'] } });
        const job = new AsyncJob(
          INFO,
          new FakeApi([cold('-(x|)', { x: r1 }), cold('-(x|)', { x: r2 }), cold('-(x|)', { x: r3 }), cold('-(x|)', { x: r4 })]),
          { scheduler: ts, policy: every(1) },
        );
        expectObservable(job, '^ 8ms !').toBe('-a-b-c', { a: snap(r1, 1), b: snap(r2, 3), c: snap(r3, 5) });
      });
    });
  });

  describe('failures', () => {
    it('retries a transient failure after the Retry-After, then backs off by failure count', () => {
      const ts = testScheduler();
      const seen: PollState[] = [];
      ts.run(({ cold, expectObservable, expectSubscriptions }) => {
        const f1 = cold<JobStatus>('-#', {}, serverError(20));
        const f2 = cold<JobStatus>('-#', {}, new ConnectionError({ method: 'GET', route: `job/${JOB_ID}` }));
        const ok = cold('-(q|)', { q: Q });
        const backoff = exponentialBackoff({ initialDelayMs: 2, failureDelayMs: 4, failureFactor: 3, jitter: 0 });
        const policy = (s: PollState) => (seen.push(s), backoff(s));
        const job = new AsyncJob(INFO, new FakeApi([f1, f2, ok]), { scheduler: ts, policy });
        // Fails at 1 (Retry-After 20 beats 4), polls at 21, fails at 22 (2nd failure: 12), polls at 34.
        expectObservable(job, '^ 39ms !').toBe('35ms a', { a: snap(Q, 35) });
        expectSubscriptions(f1.subscriptions).toBe('^!');
        expectSubscriptions(f2.subscriptions).toBe('21ms ^!');
        expectSubscriptions(ok.subscriptions).toBe('34ms ^!');
      });
      expect(seen.map((s) => [s.attempt, s.failures, s.retryAfterMs])).to.deep.equal([
        [1, 1, 20],
        [2, 2, undefined],
        [3, 0, undefined],
      ]);
    });

    it('spreads the retries of jobs that fail their first poll in the same millisecond (default policy)', () => {
      const ts = testScheduler();
      const delays: number[] = [];
      const policy = (s: PollState) => {
        const d = defaultPollingPolicy(s);
        if (s.failures > 0) delays.push(d);
        return d;
      };
      ts.run(({ cold }) => {
        for (const jobId of ['job_a', 'job_b']) {
          const api = new FakeApi([cold<JobStatus>('-#', {}, serverError()), cold('-(c|)', { c: { ...C, jobId } })]);
          new AsyncJob({ ...INFO, jobId }, api, { scheduler: ts, policy }).subscribe();
        }
      });
      expect(delays).to.have.length(2);
      expect(delays[0]).not.to.equal(delays[1]);
    });

    it('rides out an answer that is not JSON at all (a maintenance page served with 200) like a 503', () => {
      const ts = testScheduler();
      ts.run(({ cold, expectObservable, expectSubscriptions }) => {
        const page = cold<JobStatus>('-#', {}, new DecodeError({ route: 'job/x', paths: [], what: 'Answer (not JSON)', notJson: true }));
        const ok = cold('-(c|)', { c: C });
        const job = new AsyncJob(INFO, new FakeApi([page, ok]), { scheduler: ts, policy: () => 3 });
        expectObservable(job).toBe('5ms (a|)', { a: snap(C, 5) });
        expectSubscriptions(page.subscriptions).toBe('^!');
        expectSubscriptions(ok.subscriptions).toBe('4ms ^!');
      });
    });

    it('treats 429 as transient', () => {
      const ts = testScheduler();
      ts.run(({ cold, expectObservable, expectSubscriptions }) => {
        const f = cold<JobStatus>('-#', {}, new RateLimitError({ status: 429, method: 'GET', route: 'job/x', retryAfterMs: 7 }));
        const ok = cold('-(c|)', { c: C });
        const job = new AsyncJob(INFO, new FakeApi([f, ok]), { scheduler: ts, policy: (s) => s.retryAfterMs ?? 1 });
        expectObservable(job).toBe('9ms (a|)', { a: snap(C, 9) });
        expectSubscriptions(f.subscriptions).toBe('^!');
        expectSubscriptions(ok.subscriptions).toBe('8ms ^!');
      });
    });

    const permanent: [string, Error][] = [
      ['404', notFound],
      ['401', new AuthenticationError({ status: 401, method: 'GET', route: 'job/x' })],
      ['DecodeError', new DecodeError({ route: 'job/x', paths: ['status'] })],
    ];
    for (const [name, error] of permanent) {
      it(`errors the stream on a permanent failure (${name}) and polls no more`, () => {
        const ts = testScheduler();
        const api = new FakeApi([]);
        ts.run(({ cold, expectObservable, expectSubscriptions }) => {
          const ok = cold('-(q|)', { q: Q });
          const bad = cold<JobStatus>('-#', {}, error);
          api.statuses = [ok, bad, ok];
          const job = new AsyncJob(INFO, api, { scheduler: ts, policy: every(5) });
          expectObservable(job).toBe('- a 5ms #', { a: snap(Q, 1) }, error);
          expectSubscriptions(ok.subscriptions).toBe('^!');
          expectSubscriptions(bad.subscriptions).toBe('6ms ^!');
        });
        expect(api.statusCalls).to.equal(2);
      });
    }

    it('errors the stream when the policy throws, after emitting what it saw', () => {
      const ts = testScheduler();
      const boom = new Error('bad policy');
      ts.run(({ cold, expectObservable, expectSubscriptions }) => {
        const s = cold('-(q|)', { q: Q });
        const job = new AsyncJob(INFO, new FakeApi([s]), {
          scheduler: ts,
          policy: () => {
            throw boom;
          },
        });
        expectObservable(job).toBe('-(a#)', { a: snap(Q, 1) }, boom);
        expectSubscriptions(s.subscriptions).toBe('^!');
      });
    });

    it('treats getStatus throwing synchronously like a failed request (retried when transient)', () => {
      const ts = testScheduler();
      ts.run(({ cold, expectObservable }) => {
        const api = new FakeApi([cold('-(c|)', { c: C })]);
        let calls = 0;
        const throwing = Object.assign(Object.create(api) as FakeApi, {
          getStatus: () => {
            if (calls++ === 0) throw serverError();
            return api.getStatus(JOB_ID);
          },
        });
        const job = new AsyncJob(INFO, throwing, { scheduler: ts, policy: every(3) });
        expectObservable(job).toBe('4ms (a|)', { a: snap(C, 4) });
      });
    });

    it('takes only the first answer of a source that answers synchronously and keeps emitting', () => {
      const ts = testScheduler();
      ts.run(({ expectObservable }) => {
        const job = new AsyncJob(INFO, new FakeApi([of(Q, C)]), { scheduler: ts, policy: every(3) });
        expectObservable(job, '^ 5ms !').toBe('a', { a: snap(Q, 0) });
      });
    });

    it('starts afresh for a subscriber after an error', () => {
      const ts = testScheduler();
      ts.run(({ cold, expectObservable, expectSubscriptions }) => {
        const bad = cold<JobStatus>('-#', {}, notFound);
        const ok = cold('-(q|)', { q: Q });
        const job = new AsyncJob(INFO, new FakeApi([bad, ok]), { scheduler: ts, policy: every(5) });
        expectObservable(job).toBe('-#', {}, notFound);
        expectObservable(job, '5ms ^ 3ms !').toBe('6ms a', { a: snap(Q, 6) });
        expectSubscriptions(bad.subscriptions).toBe('^!');
        expectSubscriptions(ok.subscriptions).toBe('5ms ^!');
      });
    });
  });

  describe('sharing and teardown', () => {
    it('shares one loop between subscribers and replays the latest snapshot to a late one', () => {
      const ts = testScheduler();
      ts.run(({ cold, expectObservable, expectSubscriptions }) => {
        const s1 = cold('-(q|)', { q: Q });
        const s2 = cold('-(r|)', { r: R });
        const s3 = cold('-(c|)', { c: C });
        const job = new AsyncJob(INFO, new FakeApi([s1, s2, s3]), { scheduler: ts, policy: every(5) });
        const a = snap(Q, 1);
        const b = snap(R, 7);
        const c = snap(C, 13);
        expectObservable(job).toBe('- a 5ms b 5ms (c|)', { a, b, c });
        expectObservable(job, '8ms ^').toBe('8ms b 4ms (c|)', { b, c });
        // One request per poll, whatever the number of subscribers.
        expectSubscriptions(s1.subscriptions).toBe('^!');
        expectSubscriptions(s2.subscriptions).toBe('6ms ^!');
        expectSubscriptions(s3.subscriptions).toBe('12ms ^!');
      });
    });

    it('notifies each subscriber once when subscribers join or leave while a snapshot is delivered', () => {
      const ts = testScheduler();
      ts.run(({ cold, flush }) => {
        const s1 = cold('-(q|)', { q: Q });
        const s2 = cold('-(r|)', { r: R });
        const s3 = cold('-(c|)', { c: C });
        const api = new FakeApi([s1, s2, s3]);
        const job = new AsyncJob(INFO, api, { scheduler: ts, policy: every(5) });
        const seen: Record<string, string[]> = { a: [], b: [], late: [] };
        const rec = (name: string) => (x: { status: string }) => seen[name]!.push(`${x.status}@${ts.now()}`);
        let joined = false;
        let b: { unsubscribe(): void } | undefined;
        job.subscribe({
          next: (x) => {
            rec('a')(x);
            // Leaving and joining from inside a delivery: b leaves before its turn, late joins once.
            b!.unsubscribe();
            if (!joined) {
              joined = true;
              job.subscribe({ next: rec('late'), complete: () => seen['late']!.push('done') });
            }
          },
        });
        b = job.subscribe({ next: rec('b'), complete: () => seen['b']!.push('done') });
        flush();
        expect(seen).to.deep.equal({ a: ['Queued@1', 'Running@7', 'Completed@13'], b: [], late: ['Queued@1', 'Running@7', 'Completed@13', 'done'] });
        expect(api.statusCalls).to.equal(3);
      });
    });

    it('keeps polling while one subscriber of two leaves, and stops when the last one does', () => {
      // The job's teardown tells who left by `closed`: rxjs marks a subscription closed before it
      // runs its teardowns.
      const ts = testScheduler();
      ts.run(({ cold, expectObservable, expectSubscriptions }) => {
        const s = cold('-(r|)', { r: R });
        const job = new AsyncJob(INFO, new FakeApi([s]), { scheduler: ts, policy: every(5) });
        expectObservable(job, '^ 7ms !').toBe('-a', { a: snap(R, 1) });
        expectObservable(job, '^ 10ms !').toBe('-a', { a: snap(R, 1) });
        expectSubscriptions(s.subscriptions).toBe(['^!', '6ms ^!']);
      });
    });

    it('a scheduler that throws while connecting errors that subscriber only; the next one connects afresh', () => {
      const ts = testScheduler();
      const boom = new Error('schedule failed');
      let thrown = false;
      const throwing: SchedulerLike = {
        now: () => ts.now(),
        schedule: ((work: () => void, delay?: number, state?: unknown) => {
          if (delay === 50 && !thrown) {
            thrown = true;
            throw boom;
          }
          return ts.schedule(work, delay, state);
        }) as SchedulerLike['schedule'],
      };
      ts.run(({ cold, expectObservable, expectSubscriptions }) => {
        const s = cold('-(r|)', { r: R });
        const job = new AsyncJob(INFO, new FakeApi([s]), { scheduler: throwing, policy: every(5), maxWait: 50 });
        expectObservable(job).toBe('#', {}, boom);
        expectObservable(job, '3ms ^ 4ms !').toBe('4ms a', { a: snap(R, 4) });
        expectSubscriptions(s.subscriptions).toBe(['(^!)', '3ms ^!']);
      });
    });

    it('aborts the request in flight when the last subscriber leaves', () => {
      const ts = testScheduler();
      ts.run(({ cold, expectObservable, expectSubscriptions }) => {
        const s = cold('---(q|)', { q: Q });
        const job = new AsyncJob(INFO, new FakeApi([s]), { scheduler: ts, policy: every(5) });
        expectObservable(job, '^-!').toBe('');
        expectSubscriptions(s.subscriptions).toBe('^-!');
      });
    });

    it('clears the timer when the last subscriber leaves between polls', () => {
      const ts = testScheduler();
      const api = new FakeApi([]);
      ts.run(({ cold, expectObservable, expectSubscriptions }) => {
        const s = cold('-(q|)', { q: Q });
        api.statuses = [s];
        const job = new AsyncJob(INFO, api, { scheduler: ts, policy: every(5) });
        expectObservable(job, '^--!').toBe('-a', { a: snap(Q, 1) });
        expectSubscriptions(s.subscriptions).toBe('^!');
      });
      expect(api.statusCalls).to.equal(1);
    });

    it('keeps polling while one subscriber remains', () => {
      const ts = testScheduler();
      ts.run(({ cold, expectObservable, expectSubscriptions }) => {
        const s = cold('-(q|)', { q: Q });
        const job = new AsyncJob(INFO, new FakeApi([s]), { scheduler: ts, policy: every(5) });
        expectObservable(job, '^ 8ms !').toBe('-a', { a: snap(Q, 1) });
        expectObservable(job, '^ 14ms !').toBe('-a', { a: snap(Q, 1) });
        expectSubscriptions(s.subscriptions).toBe(['^!', '6ms ^!', '12ms ^!']);
      });
    });

    it('restarts polling for a subscriber that comes after everyone left', () => {
      const ts = testScheduler();
      ts.run(({ cold, expectObservable, expectSubscriptions }) => {
        const s = cold('-(q|)', { q: Q });
        const job = new AsyncJob(INFO, new FakeApi([s]), { scheduler: ts, policy: every(5) });
        expectObservable(job, '^---!').toBe('-a', { a: snap(Q, 1) });
        expectObservable(job, '10ms ^ 4ms !').toBe('11ms b', { b: snap(Q, 11) });
        expectSubscriptions(s.subscriptions).toBe(['^!', '10ms ^!']);
      });
    });

    it('replays the terminal snapshot to later subscribers without polling again', () => {
      const ts = testScheduler();
      const api = new FakeApi([]);
      ts.run(({ cold, expectObservable, expectSubscriptions }) => {
        const s = cold('-(c|)', { c: C });
        api.statuses = [s];
        const job = new AsyncJob(INFO, api, { scheduler: ts, policy: every(5) });
        expectObservable(job).toBe('-(a|)', { a: snap(C, 1) });
        expectObservable(job, '5ms ^').toBe('5ms (a|)', { a: snap(C, 1) });
        expectSubscriptions(s.subscriptions).toBe('^!');
      });
      expect(api.statusCalls).to.equal(1);
    });
  });

  describe('a finished job', () => {
    it('replays its terminal snapshot even when the only subscriber left on it', () => {
      const ts = testScheduler();
      const api = new FakeApi([]);
      ts.run(({ cold, expectObservable }) => {
        api.statuses = [cold('-(c|)', { c: C })];
        const job = new AsyncJob(INFO, api, { scheduler: ts });
        expectObservable(job.pipe(takeWhile((s) => s.phase === 'pending', true))).toBe('-(a|)', { a: snap(C, 1) });
        expectObservable(job, '5ms ^').toBe('5ms (a|)', { a: snap(C, 1) });
      });
      expect(api.statusCalls).to.equal(1);
    });

    it('is not polled again once status() saw it terminal', async () => {
      const api = new FakeApi([of(C)]);
      const job = new AsyncJob(INFO, api);
      await job.status();
      const seen: string[] = [];
      job.subscribe((s) => seen.push(s.status));
      expect(seen).to.deep.equal(['Completed']);
      expect(api.statusCalls).to.equal(1);
    });
  });

  describe('maxWait', () => {
    it('errors with JobTimeoutError and aborts the request in flight', () => {
      const ts = testScheduler();
      ts.run(({ cold, expectObservable, expectSubscriptions }) => {
        const s = cold('---(q|)', { q: Q });
        const job = new AsyncJob(INFO, new FakeApi([s]), { scheduler: ts, policy: every(4), maxWait: 9 });
        const a = snap(Q, 3);
        expectObservable(job).toBe('--- a 5ms #', { a }, new JobTimeoutError({ jobId: JOB_ID, maxWaitMs: 9, lastSnapshot: a }));
        expectSubscriptions(s.subscriptions).toBe(['^--!', '7ms ^-!']);
      });
    });

    it('lets a poll due when maxWait elapses run first', () => {
      const ts = testScheduler();
      ts.run(({ expectObservable }) => {
        const job = new AsyncJob(INFO, new FakeApi([of(R), of(C)]), { scheduler: ts, policy: every(10), maxWait: 10 });
        expectObservable(job).toBe('a 9ms (b|)', { a: snap(R, 0), b: snap(C, 10) });
      });
    });

    it('does not fire once the job is terminal', () => {
      const ts = testScheduler();
      ts.run(({ cold, expectObservable }) => {
        const job = new AsyncJob(INFO, new FakeApi([cold('-(c|)', { c: C })]), { scheduler: ts, policy: every(4), maxWait: 9 });
        expectObservable(job).toBe('-(a|)', { a: snap(C, 1) });
      });
    });
  });

  describe('pause$', () => {
    it('schedules no poll while paused and polls at once on resume', () => {
      const ts = testScheduler();
      ts.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
        const s1 = cold('-(q|)', { q: Q });
        const s2 = cold('-(r|)', { r: R });
        const pause$ = hot('--t 10ms f', { t: true, f: false });
        const job = new AsyncJob(INFO, new FakeApi([s1, s2]), { scheduler: ts, policy: every(5), pause$ });
        expectObservable(job, '^ 16ms !').toBe('- a 12ms b', { a: snap(Q, 1), b: snap(R, 14) });
        expectSubscriptions(s1.subscriptions).toBe('^!');
        expectSubscriptions(s2.subscriptions).toBe('13ms ^!');
        expectSubscriptions(pause$.subscriptions).toBe('^ 16ms !');
      });
    });

    it("does not cut a failed poll's Retry-After short on resume, and polls at once after it", () => {
      const ts = testScheduler();
      ts.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
        const f1 = cold<JobStatus>('-#', {}, serverError(20));
        const f2 = cold<JobStatus>('-#', {}, serverError(20));
        const ok = cold('-(c|)', { c: C });
        // Paused at 2, resumed at 8 inside the window (1..21): the retry waits for 21. The second
        // failure (22) asks for 20 ms again; paused at 23, resumed at 50, after the window: at once.
        const pause$ = hot('--t 5ms f 14ms t 26ms f', { t: true, f: false });
        const job = new AsyncJob(INFO, new FakeApi([f1, f2, ok]), { scheduler: ts, policy: (st) => st.retryAfterMs ?? 5, pause$ });
        expectObservable(job).toBe('51ms (a|)', { a: snap(C, 51) });
        expectSubscriptions(f1.subscriptions).toBe('^!');
        expectSubscriptions(f2.subscriptions).toBe('21ms ^!');
        expectSubscriptions(ok.subscriptions).toBe('50ms ^!');
      });
    });

    it('lets a request in flight finish when pausing', () => {
      const ts = testScheduler();
      ts.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
        const s = cold('---(q|)', { q: Q });
        const pause$ = hot('-t', { t: true });
        const job = new AsyncJob(INFO, new FakeApi([s]), { scheduler: ts, policy: every(1), pause$ });
        expectObservable(job, '^ 20ms !').toBe('---a', { a: snap(Q, 3) });
        expectSubscriptions(s.subscriptions).toBe('^--!');
      });
    });

    it('waits for the resume when subscribed while paused', () => {
      const ts = testScheduler();
      ts.run(({ cold, expectObservable, expectSubscriptions }) => {
        const s = cold('-(c|)', { c: C });
        const pause$: Observable<boolean> = concat(of(true), timer(5, ts).pipe(map(() => false)));
        const job = new AsyncJob(INFO, new FakeApi([s]), { scheduler: ts, policy: every(1), pause$ });
        expectObservable(job).toBe('6ms (a|)', { a: snap(C, 6) });
        expectSubscriptions(s.subscriptions).toBe('5ms ^!');
      });
    });

    it('resumes on the regular schedule when unpaused while a request is in flight', () => {
      const ts = testScheduler();
      ts.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
        const s = cold('----(q|)', { q: Q });
        const pause$ = hot('-t-f', { t: true, f: false });
        const job = new AsyncJob(INFO, new FakeApi([s]), { scheduler: ts, policy: every(4), pause$ });
        expectObservable(job, '^ 9ms !').toBe('----a', { a: snap(Q, 4) });
        expectSubscriptions(s.subscriptions).toBe(['^---!', '8ms ^-!']);
      });
    });
  });

  describe('seen through a Proxy or a copy', () => {
    it('subscribes the job through a Proxy (as Vue reactive() or ref() wraps it)', async () => {
      const job = new AsyncJob(INFO, new FakeApi([of(C)]));
      expect((await firstValueFrom(new Proxy(job, {}))).status).to.equal('Completed');
    });

    it('subscribes the job through Object.create(job) and a clone that keeps the prototype', async () => {
      const job = new AsyncJob(INFO, new FakeApi([of(C)]));
      expect((await firstValueFrom(Object.create(job) as AsyncJob)).status).to.equal('Completed');
      const clone = Object.assign(Object.create(Object.getPrototypeOf(job) as object) as AsyncJob, job);
      expect((await firstValueFrom(clone)).status).to.equal('Completed');
    });
  });

  describe('request priority', () => {
    it('asks its polls (status and live errors$) as background, and what someone awaits (status(), errors()) not', async () => {
      const api = new FakeApi([of(R)], [of([])]);
      const job = new AsyncJob(INFO, api, { policy: every(60_000), errorsPolicy: every(60_000) });
      const polls = job.subscribe();
      const live = job.errors$({ live: true }).subscribe();
      await job.status();
      await job.errors();
      polls.unsubscribe();
      live.unsubscribe();
      expect(api.statusBackground).to.deep.equal([true, false]);
      expect(api.errorsBackground).to.deep.equal([true, false]);
    });
  });

  describe('promises', () => {
    it('status() fetches one fresh snapshot and records it', async () => {
      const api = new FakeApi([of(R)]);
      const job = new AsyncJob(INFO, api, { policy: every(0) });
      const s = await job.status();
      expect(s.status).to.equal('Running');
      expect(s.progress).to.equal(0.5);
      expect(job.latest).to.equal(s);
      expect(job.lastKnownStatus).to.equal('Running');
      expect(api.statusCalls).to.equal(1);
    });

    it('keeps latest and lastKnownStatus when status() answers after a newer poll', async () => {
      const ts = testScheduler();
      const api = new FakeApi([]);
      let job!: AsyncJob;
      let answer!: Promise<unknown>;
      ts.run(({ cold, expectObservable }) => {
        // status() is sent at 0 and answered at 5 (Queued); the poll sent at 1 is answered at 2 (Running).
        api.statuses = [cold('-----(q|)', { q: Q }), cold('-(r|)', { r: R })];
        job = new AsyncJob(INFO, api, { scheduler: ts, policy: every(100) });
        answer = job.status();
        expectObservable(job, '-^ 6ms !').toBe('--a', { a: snap(R, 2) });
      });
      expect(await answer).to.deep.equal(snap(Q, 5));
      expect(job.latest).to.deep.equal(snap(R, 2));
      expect(job.lastKnownStatus).to.equal('Running');
    });

    // The poll is request 1 (the job is subscribed first), status() request 2.
    function pollThenStatus(poll: string, answer: string): { job: AsyncJob; seen: JobSnapshot[]; answer: Promise<JobSnapshot> } {
      const ts = testScheduler();
      const api = new FakeApi([]);
      const seen: JobSnapshot[] = [];
      let job!: AsyncJob;
      let status!: Promise<JobSnapshot>;
      ts.run(({ cold }) => {
        api.statuses = [cold(poll, { c: C }), cold(answer, { r: R })];
        job = new AsyncJob(INFO, api, { scheduler: ts, policy: every(100) });
        job.subscribe((s) => seen.push(s));
        status = job.status();
      });
      return { job, seen, answer: status };
    }

    it('takes a terminal answer to an earlier poll sent after a later status() (a poll behind the cap): latest and lastKnownStatus end terminal', async () => {
      // The poll is answered at 5 (Completed), status() at 1 (Running).
      const { job, seen, answer } = pollThenStatus('-----(c|)', '-(r|)');
      expect(await answer).to.deep.equal(snap(R, 1));
      expect(seen).to.deep.equal([snap(C, 5)]);
      expect(job.latest).to.deep.equal(snap(C, 5));
      expect(job.lastKnownStatus).to.equal('Completed');
    });

    it('moves latest and lastKnownStatus back from a terminal answer for no later answer that is not terminal', async () => {
      // The poll is answered at 2 (Completed), status() (sent before the job ended) at 5 (Running).
      const { job, seen, answer } = pollThenStatus('--(c|)', '-----(r|)');
      expect(await answer).to.deep.equal(snap(R, 5));
      expect(seen).to.deep.equal([snap(C, 2)]);
      expect(job.latest).to.deep.equal(snap(C, 2));
      expect(job.lastKnownStatus).to.equal('Completed');
    });

    it('keeps lastKnownStatus when info() answers after a newer status()', async () => {
      const ts = testScheduler();
      const api = new FakeApi([], [], []);
      let job!: AsyncJob;
      ts.run(({ cold }) => {
        api.infos = [cold('---(i|)', { i: { ...INFO, lastKnownStatus: 'Queued' } })];
        api.statuses = [cold('-(r|)', { r: R })];
        job = new AsyncJob(INFO, api, { scheduler: ts });
        void job.info();
        void job.status();
      });
      await Promise.resolve();
      expect(job.lastKnownStatus).to.equal('Running');
    });

    it('info() refreshes the last known status', async () => {
      const api = new FakeApi([], [], [of({ ...INFO, lastKnownStatus: 'Running' })]);
      const job = new AsyncJob(INFO, api);
      expect((await job.info()).lastKnownStatus).to.equal('Running');
      expect(job.lastKnownStatus).to.equal('Running');
    });

    it('sleepUntilComplete() waits through Queued and resolves with the final snapshot', async () => {
      const api = new FakeApi([of(Q), of(R), of(C)]);
      const job = new AsyncJob(INFO, api, { policy: every(0) });
      const s = await job.sleepUntilComplete();
      expect(s.status).to.equal('Completed');
      expect(api.statusCalls).to.equal(3);
    });

    it('sleepUntilComplete() rejects with a JobError carrying the first errors', async () => {
      const line = '{"annotation":{"referenceId":"bad_ref_id","annotationId":"a1"},"error":"Item with id bad_ref_id doesn\'t exist."}';
      const api = new FakeApi([of(Q), of(EU)], [of([line])]);
      const job = new AsyncJob(INFO, api, { policy: every(0) });
      const e = await job.sleepUntilComplete().then(
        () => expect.fail('resolved'),
        (err: unknown) => err,
      );
      if (!isJobError(e)) return expect.fail(`not a JobError: ${String(e)}`);
      expect(e.status).to.equal('Errored_User');
      expect(e.job).to.equal(job);
      expect(e.errors.map((r) => r.referenceId)).to.deep.equal(['bad_ref_id']);
    });

    it('sleepUntilComplete() rejects (does not throw) with a ConfigurationError for a bad errorsLimit, without polling', async () => {
      const api = new FakeApi([of(C)]);
      const job = new AsyncJob(INFO, api, { policy: every(0) });
      let pending: Promise<unknown> | undefined;
      expect(() => (pending = job.sleepUntilComplete({ errorsLimit: NaN }))).not.to.throw();
      const e = await pending!.then(
        () => expect.fail('resolved'),
        (err: unknown) => err,
      );
      expect(isConfigurationError(e), String(e)).to.equal(true);
      expect(api.statusCalls).to.equal(0);
    });

    it('sleepUntilComplete() rejects with JobCancelledError on Cancelled', async () => {
      const job = new AsyncJob(INFO, new FakeApi([of(status('Cancelled'))]), { policy: every(0) });
      const e = await job.sleepUntilComplete().catch((err: unknown) => err);
      expect(isJobCancelledError(e)).to.equal(true);
      expect(isJobError(e)).to.equal(false);
    });

    it('errors() resolves with every record', async () => {
      const job = new AsyncJob(INFO, new FakeApi([], [of(['plain text', '{"error":"boom","item":{"reference_id":"r9"}}'])]));
      const records = await job.errors();
      expect(records.map((r) => [r.message, r.referenceId])).to.deep.equal([
        ['plain text', undefined],
        ['boom', 'r9'],
      ]);
    });
  });

  it('accepts a BehaviorSubject as pause$', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const s = cold('-(q|)', { q: Q });
      const pause$ = new BehaviorSubject(false);
      const job = new AsyncJob(INFO, new FakeApi([s]), { scheduler: ts, policy: every(3), pause$ });
      expectObservable(job, '^ 5ms !').toBe('-a', { a: snap(Q, 1) });
      expectSubscriptions(s.subscriptions).toBe(['^!', '4ms ^!']);
    });
  });
});
