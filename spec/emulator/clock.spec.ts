import { expect } from 'chai';
import { createManualClock, scaledClock, type EmulatorClock } from '../../lib/emulator/clock.js';

describe('emulator: clocks', () => {
  it('createManualClock runs due timers in order, ties in creation order, and moves now', () => {
    const clock = createManualClock(1000);
    const seen: string[] = [];
    clock.setTimeout(() => seen.push(`b@${clock.now()}`), 20);
    clock.setTimeout(() => seen.push(`a@${clock.now()}`), 10);
    clock.setTimeout(() => seen.push(`c@${clock.now()}`), 20);
    const gone = clock.setTimeout(() => seen.push('cleared'), 5);
    clock.clearTimeout(gone);
    clock.advance(15);
    expect(seen).to.deep.equal(['a@1010']);
    expect(clock.now()).to.equal(1015);
    clock.advance(5);
    expect(seen).to.deep.equal(['a@1010', 'b@1020', 'c@1020']);
    expect(clock.pending()).to.equal(0);
  });

  it('runs timers scheduled by timers within the same advance', () => {
    const clock = createManualClock(0);
    const seen: number[] = [];
    const tick = (): void => {
      seen.push(clock.now());
      if (seen.length < 3) clock.setTimeout(tick, 10);
    };
    clock.setTimeout(tick, 10);
    clock.advance(100);
    expect(seen).to.deep.equal([10, 20, 30]);
    expect(clock.runNext()).to.equal(false);
  });

  it('scaledClock divides delays by speed and keeps now', () => {
    const calls: number[] = [];
    const base: EmulatorClock = { now: () => 42, setTimeout: (_fn, ms) => (calls.push(ms), {}), clearTimeout: () => undefined };
    const fast = scaledClock(10, base);
    fast.setTimeout(() => undefined, 5000);
    expect(calls).to.deep.equal([500]);
    expect(fast.now()).to.equal(42);
    expect(() => scaledClock(0)).to.throw(RangeError);
    expect(scaledClock(1, base)).to.equal(base);
  });
});
