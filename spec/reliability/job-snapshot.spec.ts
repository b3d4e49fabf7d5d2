// Property tests: snapshot classification is total. Every status string has exactly one phase, and
// toSnapshot turns any decodable status (even with absurd numbers) into a frozen, well-formed snapshot.
import { expect } from 'chai';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { JobStatus } from '../../lib/codecs/job.js';
import { isTerminal, phaseOf, sameSnapshot, toSnapshot, type JobPhase } from '../../lib/job-snapshot.js';
import { anyJson, mutated, RUNS } from './support/arbitraries.js';

const PHASES: readonly JobPhase[] = ['pending', 'succeeded', 'failed', 'cancelled'];
const KNOWN = ['Queued', 'Running', 'Completed', 'Errored', 'Errored_Server', 'Errored_User', 'Errored_Partial', 'Errored_Hanging', 'Cancelled', 'Retried'];

const statusString = fc.oneof(
  fc.constantFrom(...KNOWN),
  fc.string(),
  fc.string().map((s) => `Errored${s}`),
  fc.constantFrom(...KNOWN).map((s) => s.toLowerCase()),
  fc.constantFrom(...KNOWN).map((s) => ` ${s}`),
);

const anyNumber = fc.oneof(fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, 1, -1, 1e308), fc.integer());
const jobStatusValue = fc.record({
  jobId: fc.option(fc.string(), { nil: undefined }),
  status: statusString,
  message: fc.option(fc.oneof(fc.string(), fc.dictionary(fc.string(), fc.jsonValue())), { nil: undefined }),
  progress: fc.option(anyNumber, { nil: undefined }),
  completedSteps: fc.option(anyNumber, { nil: undefined }),
  totalSteps: fc.option(anyNumber, { nil: undefined }),
});

describe('reliability: snapshot classification is total (property)', () => {
  it('phaseOf gives every string exactly one of the four phases, consistent with isTerminal', () => {
    fc.assert(
      fc.property(statusString, (s) => {
        const phase = phaseOf(s);
        expect(PHASES).to.include(phase);
        expect(isTerminal(phase)).to.equal(phase !== 'pending');
        expect(phase === 'failed').to.equal(s.startsWith('Errored'));
        expect(phase === 'succeeded').to.equal(s === 'Completed');
        expect(phase === 'cancelled').to.equal(s === 'Cancelled');
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('toSnapshot is total over JobStatus values, even with non-finite numbers: frozen, phase = phaseOf(status), progress in [0, 1] or undefined', () => {
    fc.assert(
      fc.property(jobStatusValue, fc.string(), fc.integer(), (status, jobId, at) => {
        const snap = toSnapshot(jobId, status, at);
        expect(Object.isFrozen(snap)).to.equal(true);
        expect(snap.phase).to.equal(phaseOf(status.status));
        expect(snap.status).to.equal(status.status);
        expect(snap.jobId).to.equal(status.jobId ?? jobId);
        expect(snap.observedAt).to.equal(at);
        if (snap.progress !== undefined) expect(snap.progress >= 0 && snap.progress <= 1, String(snap.progress)).to.equal(true);
        if (snap.phase === 'succeeded') expect(snap.progress).to.equal(1);
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('sameSnapshot is reflexive and ignores observedAt for every decodable status (finite numbers)', () => {
    const finite = fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: undefined });
    fc.assert(
      fc.property(jobStatusValue, finite, finite, finite, fc.integer(), (status, progress, completedSteps, totalSteps, at) => {
        const s = { ...status, progress, completedSteps, totalSteps };
        const snap = toSnapshot('job', s, at);
        expect(sameSnapshot(snap, snap)).to.equal(true);
        expect(sameSnapshot(snap, toSnapshot('job', s, at + 1))).to.equal(true);
        expect(sameSnapshot(snap, toSnapshot('job', { ...s, status: `${s.status}x` }, at))).to.equal(false);
      }),
      { numRuns: RUNS },
    );
  });

  it('decode then toSnapshot never throws for arbitrary or mutated wire payloads', () => {
    const real = [
      { job_id: 'job_1', status: 'Running', message: 'x', job_progress: '0.33', completed_steps: '1', total_steps: '3' },
      { job_id: 'job_2', status: 'Completed', message: { result: [] }, job_progress: '1', completed_steps: '3', 'total_steps:': '3' },
    ];
    fc.assert(
      fc.property(fc.oneof(anyJson, mutated(real)), (u) => {
        const r = JobStatus.decode(u);
        if (E.isRight(r)) expect(PHASES).to.include(toSnapshot('job_fallback', r.right, 0).phase);
      }),
      { numRuns: RUNS },
    );
  });
});
