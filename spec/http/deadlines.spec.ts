import { expect } from 'chai';
import { type SchedulerLike, asyncScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { Deadlines, monotonicClock } from '../../lib/http/deadlines.js';

describe('Deadlines', () => {
  let scheduler: TestScheduler;
  let fired: string[];
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => {
      expect(actual).to.deep.equal(expected);
    });
    // Outside `run`, a TestScheduler flushes only 750 frames by default.
    scheduler.maxFrames = Infinity;
    fired = [];
  });
  const at = (ms: number, work: () => void): void => void scheduler.schedule(work, ms);
  const mark = (name: string) => () => fired.push(`${name}@${scheduler.now()}`);

  it('fires each deadline ms after it was added, with one timer for all, and leaves none behind', () => {
    const deadlines = new Deadlines(scheduler, 1000);
    deadlines.add(mark('a'));
    let timersWithThree = -1;
    at(100, () => deadlines.add(mark('b')));
    at(250, () => {
      deadlines.add(mark('c'));
      // Three pending deadlines: the sweep's one timer (the probes of this test are done by now).
      timersWithThree = scheduler.actions.length;
    });
    scheduler.flush();
    expect(fired).to.deep.equal(['a@1000', 'b@1100', 'c@1250']);
    expect(timersWithThree).to.equal(1);
    expect(scheduler.actions).to.have.length(0);
  });

  it('a removed deadline never fires; removing the last one clears the timer; removing twice is harmless', () => {
    const deadlines = new Deadlines(scheduler, 1000);
    const a = deadlines.add(mark('a'));
    const b = deadlines.add(mark('b'));
    at(10, () => deadlines.remove(deadlines.add(mark('c'))));
    at(500, () => {
      deadlines.remove(a);
      deadlines.remove(a);
    });
    scheduler.flush();
    expect(fired).to.deep.equal(['b@1000']);

    const d = deadlines.add(mark('d'));
    expect(scheduler.actions).to.have.length(1);
    deadlines.remove(d);
    deadlines.remove(b); // already fired: no effect
    expect(scheduler.actions).to.have.length(0);
    scheduler.flush();
    expect(fired).to.deep.equal(['b@1000']);
  });

  it('removing the oldest deadline does not fire the next early', () => {
    const deadlines = new Deadlines(scheduler, 1000);
    const a = deadlines.add(mark('a'));
    at(400, () => deadlines.add(mark('b')));
    at(600, () => deadlines.remove(a));
    scheduler.flush();
    expect(fired).to.deep.equal(['b@1400']);
    expect(scheduler.actions).to.have.length(0);
  });

  it('a deadline added while another fires is timed from then', () => {
    const deadlines = new Deadlines(scheduler, 1000);
    deadlines.add(() => {
      mark('a')();
      deadlines.add(mark('again'));
    });
    scheduler.flush();
    expect(fired).to.deep.equal(['a@1000', 'again@2000']);
    expect(scheduler.actions).to.have.length(0);
  });

  it('never hands the timer more than setTimeout can wait', () => {
    const deadlines = new Deadlines(scheduler, 3_000_000_000);
    deadlines.add(mark('a'));
    expect(scheduler.actions.map((a) => a.delay)).to.deep.equal([2_147_483_647]);
  });

  it('a wall clock set back does not postpone a deadline by more than one period', () => {
    let offset = 0;
    const clock: SchedulerLike = { now: () => scheduler.now() + offset, schedule: scheduler.schedule.bind(scheduler) as SchedulerLike['schedule'] };
    const deadlines = new Deadlines(clock, 1000);
    deadlines.add(mark('a'));
    at(10, () => (offset = -3_600_000));
    scheduler.flush();
    expect(fired).to.deep.equal(['a@1000']);
  });

  // The scheduler's clock jumps (a wall clock set); the deadlines are measured on a monotonic one,
  // as `monotonicClock` gives for real-time schedulers.
  const jumpingClock = (): { clock: SchedulerLike; jump: (ms: number) => void } => {
    let offset = 0;
    return {
      clock: { now: () => scheduler.now() + offset, schedule: scheduler.schedule.bind(scheduler) as SchedulerLike['schedule'] },
      jump: (ms) => void (offset += ms),
    };
  };

  it('a wall clock set forward does not fire the later deadlines early', () => {
    const { clock, jump } = jumpingClock();
    const deadlines = new Deadlines(clock, 1000, () => scheduler.now());
    deadlines.add(mark('a'));
    at(900, () => deadlines.add(mark('b')));
    at(950, () => jump(60_000));
    scheduler.flush();
    expect(fired).to.deep.equal(['a@1000', 'b@1900']);
    expect(scheduler.actions).to.have.length(0);
  });

  it('a wall clock set back by more than one period does not fire the later deadlines early', () => {
    const { clock, jump } = jumpingClock();
    const deadlines = new Deadlines(clock, 1000, () => scheduler.now());
    deadlines.add(mark('a'));
    at(900, () => deadlines.add(mark('b')));
    at(950, () => jump(-3_600_000));
    at(960, () => deadlines.add(mark('c')));
    scheduler.flush();
    expect(fired).to.deep.equal(['a@1000', 'b@1900', 'c@1960']);
    expect(scheduler.actions).to.have.length(0);
  });

  describe('monotonicClock', () => {
    it('measures a real-time scheduler on performance.now(), which setting the wall clock does not move', () => {
      const now = monotonicClock(asyncScheduler);
      const realDateNow = Date.now;
      const before = now();
      try {
        Date.now = () => realDateNow() + 3_600_000;
        expect(asyncScheduler.now() - realDateNow()).to.be.at.least(3_600_000);
        expect(now() - before).to.be.below(60_000);
      } finally {
        Date.now = realDateNow;
      }
    });

    it("keeps a virtual-time scheduler's own clock, asyncScheduler inside TestScheduler.run included", () => {
      const now = monotonicClock(scheduler);
      scheduler.schedule(() => expect(now()).to.equal(1234), 1234);
      scheduler.flush();
      new TestScheduler((actual, expected) => void expect(actual).to.deep.equal(expected)).run(() => {
        const virtual = monotonicClock(asyncScheduler);
        asyncScheduler.schedule(() => expect(virtual()).to.equal(50), 50);
      });
    });
  });
});
