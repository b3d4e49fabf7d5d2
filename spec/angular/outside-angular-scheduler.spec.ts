import { expect } from 'chai';
import { interval, take, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { outsideAngularScheduler } from '../../lib/angular/outside-angular-scheduler.js';
import { fakeZone } from '../support/fake-zone.js';

describe('outsideAngularScheduler', () => {
  let testScheduler: TestScheduler;

  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => {
      expect(actual).to.deep.equal(expected);
    });
  });

  it('keeps the base scheduler\'s timing and clock, and arms each timer outside the zone', () => {
    const zone = fakeZone();
    testScheduler.run(({ expectObservable }) => {
      const scheduler = outsideAngularScheduler(zone, testScheduler);
      expectObservable(timer(5, scheduler)).toBe('-----(a|)', { a: 0 });
      expectObservable(interval(3, scheduler).pipe(take(3))).toBe('---a--b--(c|)', { a: 0, b: 1, c: 2 });
      testScheduler.schedule(() => expect(scheduler.now()).to.equal(testScheduler.now()), 7);
    });
    // timer: one schedule; interval: one schedule, then the action re-arms itself from its callback.
    expect(zone.outside).to.equal(2);
  });

  it('cancels like the base scheduler', () => {
    const zone = fakeZone();
    testScheduler.run(({ expectObservable }) => {
      expectObservable(timer(5, outsideAngularScheduler(zone, testScheduler)), '--!').toBe('---');
    });
  });
});
