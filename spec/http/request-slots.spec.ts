import { expect } from 'chai';
import { requestSlots } from '../../lib/http/request-slots.js';

/** A request that records its start and cancel, and can be ended from the test. */
function tracked(log: string[], name: string) {
  let release: (() => void) | undefined;
  return {
    start: (r: () => void) => {
      log.push(`start ${name}`);
      release = r;
      return () => log.push(`cancel ${name}`);
    },
    end: () => {
      log.push(`end ${name}`);
      release!();
    },
  };
}

describe('requestSlots', () => {
  it('starts requests at once while slots are free, and queues the rest', () => {
    const log: string[] = [];
    const inSlot = requestSlots(2);
    const [a, b, c] = ['a', 'b', 'c'].map((n) => tracked(log, n));
    inSlot(a!.start);
    inSlot(b!.start);
    inSlot(c!.start);
    expect(log).to.deep.equal(['start a', 'start b']);
  });

  it('starts waiting requests in order as slots free', () => {
    const log: string[] = [];
    const inSlot = requestSlots(1);
    const rs = ['a', 'b', 'c', 'd'].map((n) => tracked(log, n));
    for (const r of rs) inSlot(r.start);
    rs[0]!.end();
    rs[1]!.end();
    rs[2]!.end();
    expect(log).to.deep.equal(['start a', 'end a', 'start b', 'end b', 'start c', 'end c', 'start d']);
  });

  it('takes a cancelled waiting request out of the queue without starting it or using a slot', () => {
    const log: string[] = [];
    const inSlot = requestSlots(1);
    const [a, b, c] = ['a', 'b', 'c'].map((n) => tracked(log, n));
    inSlot(a!.start);
    const cancelB = inSlot(b!.start);
    inSlot(c!.start);
    cancelB();
    cancelB();
    a!.end();
    expect(log).to.deep.equal(['start a', 'end a', 'start c']);
  });

  it('cancels a running request and gives its slot to the next one', () => {
    const log: string[] = [];
    const inSlot = requestSlots(1);
    const [a, b] = ['a', 'b'].map((n) => tracked(log, n));
    const cancelA = inSlot(a!.start);
    inSlot(b!.start);
    cancelA();
    expect(log).to.deep.equal(['start a', 'cancel a', 'start b']);
  });

  it('frees a slot once however often it is released or cancelled', () => {
    const log: string[] = [];
    const inSlot = requestSlots(1);
    const [a, b, c] = ['a', 'b', 'c'].map((n) => tracked(log, n));
    const cancelA = inSlot(a!.start);
    inSlot(b!.start);
    inSlot(c!.start);
    a!.end();
    a!.end();
    cancelA();
    // One slot: b runs, c still waits.
    expect(log).to.deep.equal(['start a', 'end a', 'start b', 'end a', 'cancel a']);
  });

  it('does not start a request behind waiting ones when a slot is free for an instant', () => {
    // A slot freed while requests wait goes to the oldest one, never to a newcomer.
    const log: string[] = [];
    const inSlot = requestSlots(1);
    const [a, b, c] = ['a', 'b', 'c'].map((n) => tracked(log, n));
    inSlot(a!.start);
    inSlot(b!.start);
    a!.end();
    inSlot(c!.start);
    expect(log).to.deep.equal(['start a', 'end a', 'start b']);
  });

  it('drains a long queue of requests that end as they start without recursing', () => {
    const inSlot = requestSlots(1);
    let release: (() => void) | undefined;
    inSlot((r) => {
      release = r;
      return () => undefined;
    });
    let started = 0;
    for (let i = 0; i < 100_000; i++) {
      inSlot((r) => {
        started++;
        r();
        return () => undefined;
      });
    }
    release!();
    expect(started).to.equal(100_000);
  });

  it('never queues without a cap (Infinity)', () => {
    const log: string[] = [];
    const inSlot = requestSlots(Infinity);
    for (const n of ['a', 'b', 'c', 'd']) inSlot(tracked(log, n).start);
    expect(log).to.deep.equal(['start a', 'start b', 'start c', 'start d']);
  });
});
