import { expect } from 'chai';
import { estimateEta } from '../lib/eta.js';
import type { JobSnapshot } from '../lib/job-snapshot.js';
import { mulberry32 } from '../bench/policy/rng.js';
import { stepSnapshot } from './support/step-snapshots.js';

describe('estimateEta', () => {
  it('is undefined without two running observations that moved', () => {
    expect(estimateEta([])).to.equal(undefined);
    expect(estimateEta([stepSnapshot(0, 'Running', 0, 10)])).to.equal(undefined);
    expect(estimateEta([stepSnapshot(0, 'Running', 2, 10), stepSnapshot(1000, 'Running', 2, 10)])).to.equal(undefined);
    expect(estimateEta([stepSnapshot(0, 'Queued'), stepSnapshot(1000, 'Queued')])).to.equal(undefined);
    expect(estimateEta([stepSnapshot(0, 'Running'), stepSnapshot(1000, 'Running')])).to.equal(undefined);
  });

  it('follows job_progress when it moves within the steps, the step counts otherwise', () => {
    // 3 steps, none done, but 10 % more progress every 10 s: the end is about 100 s away.
    const within = [stepSnapshot(0, 'Running', 0, 3, 0), stepSnapshot(10_000, 'Running', 0, 3, 0.1), stepSnapshot(20_000, 'Running', 0, 3, 0.2)];
    expect(estimateEta(within)!.at).to.be.closeTo(100_000, 1);
    // Progress that only restates the steps (two decimals, rounded down) leaves the exact counts in charge.
    const restated = [stepSnapshot(0, 'Running', 0, 3, 0), stepSnapshot(10_000, 'Running', 1, 3, 0.33), stepSnapshot(20_000, 'Running', 2, 3, 0.66)];
    expect(estimateEta(restated)!.done).to.be.closeTo(2 / 3, 1e-12);
    expect(estimateEta(restated)!.stepsLeft).to.equal(1);
  });

  it('takes a change of message alone for no new observation of progress', () => {
    const withMessage = (t: number, k: number, message: string) => ({ ...stepSnapshot(t, 'Running', k, 10), message }) as unknown as JobSnapshot;
    const plain = [stepSnapshot(0, 'Running', 0, 10), stepSnapshot(50_000, 'Running', 1, 10)];
    const chatty = [withMessage(0, 0, 'a'), withMessage(50_000, 1, 'b'), withMessage(60_000, 1, 'c'), withMessage(70_000, 1, 'd')];
    expect(estimateEta(chatty, { now: 70_000 })).to.deep.equal(estimateEta(plain, { now: 70_000 }));
  });

  it('keeps one unit for a run whose progress moves within steps, and the steps left from the counts', () => {
    // 10 steps of 10 s, progress sent with two decimals rounded down, seen every 3 s.
    const seen = [0, 3, 6, 9, 12, 15, 18, 21, 24].map((s) => stepSnapshot(s * 1_000, 'Running', Math.floor(s / 10), 10, Math.floor(s) / 100));
    const etas = seen.map((_, i) => estimateEta(seen.slice(0, i + 1)));
    for (const e of etas.slice(1)) {
      expect(e!.at).to.be.closeTo(100_000, 1_000);
      expect(e!.stepsLeft).to.be.a('number');
    }
    expect(etas[8]!.stepsLeft).to.equal(8);
  });

  it('is undefined once the job is over, or when it went back to Queued', () => {
    expect(estimateEta([stepSnapshot(0, 'Running', 0, 10), stepSnapshot(1000, 'Completed', 10, 10, 1)])).to.equal(undefined);
    expect(estimateEta([stepSnapshot(0, 'Running', 0, 10), stepSnapshot(1000, 'Running', 5, 10), stepSnapshot(2000, 'Queued')])).to.equal(undefined);
  });

  it('extrapolates a steady rate to the end', () => {
    const eta = estimateEta([stepSnapshot(0, 'Running', 0, 100), stepSnapshot(10_000, 'Running', 10, 100), stepSnapshot(20_000, 'Running', 20, 100)]);
    expect(eta).to.not.equal(undefined);
    expect(eta!.at).to.be.closeTo(100_000, 1e-6);
    expect(eta!.from).to.equal(20_000);
    expect(eta!.done).to.equal(0.2);
    expect(eta!.rate).to.be.closeTo(1e-5, 1e-12);
  });

  it('prefers the exact step counts over the rounded job_progress', () => {
    const eta = estimateEta([stepSnapshot(0, 'Running', 0, 3, 0), stepSnapshot(10_000, 'Running', 1, 3, 0.33)]);
    expect(eta!.at).to.be.closeTo(30_000, 1e-6);
  });

  it('uses job_progress when no steps are reported', () => {
    const eta = estimateEta([stepSnapshot(0, 'Running', undefined, undefined, 0), stepSnapshot(5_000, 'Running', undefined, undefined, 0.5)]);
    expect(eta!.at).to.be.closeTo(10_000, 1e-6);
  });

  it('pushes the estimate later when no step was seen for longer than expected', () => {
    const seen = [stepSnapshot(0, 'Running', 0, 10), stepSnapshot(10_000, 'Running', 5, 10)];
    const fresh = estimateEta(seen, { now: 10_000 })!;
    const stalled = estimateEta(seen, { now: 60_000 })!;
    expect(fresh.at).to.be.closeTo(20_000, 1e-6);
    expect(stalled.at).to.be.greaterThan(fresh.at);
  });

  it('follows a rate that rose recently, and is less sure of itself', () => {
    const steady = estimateEta([0, 10, 20, 30, 40].map((k, i) => stepSnapshot(i * 10_000, 'Running', k, 100)))!;
    const faster = estimateEta([0, 10, 20, 40, 60].map((k, i) => stepSnapshot(i * 10_000, 'Running', k, 100)))!;
    expect(faster.at - faster.from).to.be.lessThan(((1 - 0.6) / (0.6 / 40_000)) * 0.999);
    expect(faster.uncertainty).to.be.greaterThan(steady.uncertainty);
  });

  it('grows more certain as more steps are seen', () => {
    const few = estimateEta([stepSnapshot(0, 'Running', 0, 1000), stepSnapshot(1_000, 'Running', 2, 1000), stepSnapshot(2_000, 'Running', 4, 1000)])!;
    const many = estimateEta([stepSnapshot(0, 'Running', 0, 1000), stepSnapshot(100_000, 'Running', 200, 1000), stepSnapshot(200_000, 'Running', 400, 1000)])!;
    expect(many.uncertainty).to.be.lessThan(few.uncertainty);
  });

  it('property: any sequence gives undefined or a finite estimate after its last progress change', () => {
    const r = mulberry32(42);
    const statuses = ['Queued', 'Running', 'Running', 'Running', 'Retried', 'Completed', 'Errored_User'];
    for (let run = 0; run < 2000; run++) {
      const n = 1 + Math.floor(r() * 10);
      const total = r() < 0.2 ? undefined : Math.floor(r() * 200);
      let t = Math.floor(r() * 1e6);
      let k = 0;
      const seen: JobSnapshot[] = [];
      for (let i = 0; i < n; i++) {
        t += Math.floor(r() * 100_000) * (r() < 0.05 ? 0 : 1);
        k += Math.floor(r() * 5);
        const status = statuses[Math.floor(r() * statuses.length)]!;
        const steps = total === undefined ? undefined : k;
        seen.push(stepSnapshot(t, status, r() < 0.1 ? undefined : steps, total, r() < 0.5 ? r() * 1.2 - 0.1 : undefined));
      }
      const eta = estimateEta(seen, { now: t + Math.floor(r() * 1e5) });
      if (eta === undefined) continue;
      expect(Number.isFinite(eta.at), 'at').to.equal(true);
      expect(eta.at).to.be.at.least(eta.from);
      expect(Number.isFinite(eta.uncertainty) && eta.uncertainty >= 0, 'uncertainty').to.equal(true);
      expect(eta.rate).to.be.greaterThan(0);
      expect(eta.done).to.be.within(0, 1);
    }
  });
});
