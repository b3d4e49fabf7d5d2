import { expect } from 'chai';
import { estimateRemainingMs, formatDuration, formatPercent } from '../../lib/cli/format.js';

describe('cli/format', () => {
  it('formatDuration', () => {
    expect(formatDuration(0)).to.equal('0.0s');
    expect(formatDuration(449)).to.equal('0.4s');
    expect(formatDuration(9_999)).to.equal('9.9s');
    expect(formatDuration(12_300)).to.equal('12s');
    expect(formatDuration(65_000)).to.equal('1m05s');
    expect(formatDuration(2 * 3_600_000 + 3 * 60_000)).to.equal('2h03m');
    expect(formatDuration(undefined)).to.equal('--');
    expect(formatDuration(-1)).to.equal('--');
    expect(formatDuration(Number.NaN)).to.equal('--');
  });

  it('formatPercent floors so that 100% means done', () => {
    expect(formatPercent(0)).to.equal('0%');
    expect(formatPercent(0.456)).to.equal('45%');
    expect(formatPercent(0.999)).to.equal('99%');
    expect(formatPercent(1)).to.equal('100%');
    expect(formatPercent(1.5)).to.equal('100%');
    expect(formatPercent(undefined)).to.equal('--');
  });

  it('estimateRemainingMs extrapolates the observed rate and counts time since the last sample', () => {
    expect(estimateRemainingMs({ progress: 0, at: 0 }, { progress: 0.25, at: 1000 }, 1000)).to.equal(3000);
    expect(estimateRemainingMs({ progress: 0.5, at: 0 }, { progress: 0.75, at: 1000 }, 1500)).to.equal(500);
    expect(estimateRemainingMs({ progress: 0, at: 0 }, { progress: 0.1, at: 1000 }, 99_000)).to.equal(0);
    expect(estimateRemainingMs({ progress: 0.2, at: 0 }, { progress: 0.2, at: 1000 }, 1000)).to.equal(undefined);
    expect(estimateRemainingMs({ progress: 0.2, at: 5 }, { progress: 0.2, at: 5 }, 5)).to.equal(undefined);
    expect(estimateRemainingMs({ progress: 0.2, at: 5 }, { progress: 1, at: 9 }, 10)).to.equal(0);
  });
});
