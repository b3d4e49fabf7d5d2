import { expect } from 'chai';
import type { SchedulerLike } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { Deadlines } from '../../lib/http/deadlines.js';

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
});
