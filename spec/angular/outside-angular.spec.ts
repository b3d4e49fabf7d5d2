import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { TestScheduler } from 'rxjs/testing';
import { outsideAngular } from '../../lib/angular/outside-angular.js';

describe('outsideAngular and outsideAngularScheduler', () => {
  it('without a zone (zoneless apps), passes the source through untouched', () => {
    const testScheduler = new TestScheduler((actual, expected) => {
      expect(actual).to.deep.equal(expected);
    });
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-|');
      expectObservable(source.pipe(outsideAngular(null)), '^--!').toBe('-a-');
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('lets a zone-based app stay stable while a poll loop runs (operator, scheduler, provideNucleus client)', function () {
    this.timeout(20_000);
    // zone.js patches the whole process: probe in a child.
    const out = execFileSync(process.execPath, [path.join(__dirname, 'fixtures', 'zone-stability.js')], { encoding: 'utf8' });
    const report = JSON.parse(out) as Record<'plain' | 'operator' | 'scheduler' | 'plainClient' | 'providedClient', Record<string, unknown>>;
    // The control: the same loop subscribed inside the zone leaves a macrotask pending for as long
    // as it runs, which is what keeps ApplicationRef.isStable and whenStable() from settling.
    expect(report.plain).to.include({ hasPendingMacrotasks: true });
    expect(report.operator).to.include({ isStable: true, hasPendingMacrotasks: false, deliveredInZone: true });
    expect(report.operator['values']).to.be.greaterThan(2);
    expect(report.operator['stableEvents']).to.be.greaterThan(2);
    // outsideAngularScheduler: subscribed inside the zone, its timers (and what they start) are not.
    expect(report.scheduler).to.include({ isStable: true, hasPendingMacrotasks: false });
    expect(report.scheduler['values']).to.be.greaterThan(2);
    // A real job on the emulator, mid-run, subscribed inside the zone: the client from provideNucleus
    // leaves nothing pending; a client made by hand keeps the zone busy.
    expect(report.plainClient).to.include({ last: 'Running', hasPendingMacrotasks: true });
    expect(report.providedClient).to.include({ last: 'Running', hasPendingMacrotasks: false });
    expect(report.providedClient['snapshots']).to.be.greaterThan(1);
  });
});
