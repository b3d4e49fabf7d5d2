import { expect } from 'chai';
import { KEPT_SNAPSHOTS, remember, type JobSnapshot } from '../lib/job-snapshot.js';
import { stepSnapshot } from './support/step-snapshots.js';

const keep = (snapshots: JobSnapshot[]): readonly JobSnapshot[] => snapshots.reduce<readonly JobSnapshot[]>(remember, []);

describe('remember', () => {
  it('keeps distinct snapshots only, and returns the same history when nothing changed', () => {
    const a = stepSnapshot(0, 'Running', 0, 10);
    const history = remember([], a);
    expect(remember(history, stepSnapshot(5, 'Running', 0, 10))).to.equal(history);
    expect(remember(history, stepSnapshot(5, 'Running', 1, 10))).to.have.length(2);
    // Frozen where it is made: a policy handed the history cannot change what the loop keeps.
    expect(Object.isFrozen(history)).to.equal(true);
    expect(Object.isFrozen(remember(history, stepSnapshot(5, 'Running', 1, 10)))).to.equal(true);
  });

  it('keeps the first snapshot and the most recent ones when every change is a step', () => {
    const all = Array.from({ length: 20 }, (_, i) => stepSnapshot(i * 1_000, 'Running', i, 100));
    const kept = keep(all);
    expect(kept).to.have.length(KEPT_SNAPSHOTS + 1);
    expect(kept.map((s) => s.completedSteps)).to.deep.equal([0, 12, 13, 14, 15, 16, 17, 18, 19]);
  });

  it('drops changes within a step before the snapshots on both sides of a step end', () => {
    // 3 steps; the message changes at every poll: the last snapshot before each step and the first
    // of it stay, so when each step ended stays bracketed.
    const all = Array.from({ length: 20 }, (_, i) => ({ ...stepSnapshot(i * 1_000, 'Running', Math.floor(i / 7), 3), message: `poll ${i}` }) as unknown as JobSnapshot);
    const kept = keep(all);
    expect(kept).to.have.length(KEPT_SNAPSHOTS + 1);
    // Step 1 ended in (6 s, 7 s], step 2 in (13 s, 14 s]; the rest are the most recent.
    expect(kept.map((s) => s.observedAt)).to.deep.equal([0, 6_000, 7_000, 13_000, 14_000, 16_000, 17_000, 18_000, 19_000]);
  });
});
