import { expect } from 'chai';
import { type SchedulerLike, queueScheduler } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { requestSlots } from '../../lib/http/request-slots.js';
import { newScheduler } from '../helpers/fake-fetch.js';

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

/** `ts`, counting the actions scheduled on it and telling whether one is running. */
function spyOn(ts: TestScheduler): { scheduler: SchedulerLike; scheduled: number; inAction: boolean } {
  const spy = {
    scheduled: 0,
    inAction: false,
    scheduler: {
      now: () => ts.now(),
      schedule: (work: (this: unknown, state?: unknown) => void, delay?: number, state?: unknown) => {
        spy.scheduled++;
        return ts.schedule(
          function (this: unknown, st?: unknown) {
            spy.inAction = true;
            try {
              work.call(this, st);
            } finally {
              spy.inAction = false;
            }
          },
          delay,
          state,
        );
      },
    } as SchedulerLike,
  };
  return spy;
}

describe('requestSlots', () => {
  // The scheduler freed slots are handed on in; `ts.flush()` is the event loop turning.
  let ts: TestScheduler;
  beforeEach(() => {
    ts = newScheduler();
  });

  it('starts requests at once while slots are free, and queues the rest', () => {
    const log: string[] = [];
    const inSlot = requestSlots(2, ts);
    const [a, b, c] = ['a', 'b', 'c'].map((n) => tracked(log, n));
    inSlot(a!.start);
    inSlot(b!.start);
    inSlot(c!.start);
    expect(log).to.deep.equal(['start a', 'start b']);
  });

  it('starts waiting requests in order as slots free, in an action of the scheduler', () => {
    const log: string[] = [];
    const inSlot = requestSlots(1, ts);
    const rs = ['a', 'b', 'c', 'd'].map((n) => tracked(log, n));
    for (const r of rs) inSlot(r.start);
    rs[0]!.end();
    expect(log).to.deep.equal(['start a', 'end a']);
    ts.flush();
    rs[1]!.end();
    ts.flush();
    rs[2]!.end();
    ts.flush();
    expect(log).to.deep.equal(['start a', 'end a', 'start b', 'end b', 'start c', 'end c', 'start d']);
  });

  it('takes a cancelled waiting request out of the queue without starting it or using a slot', () => {
    const log: string[] = [];
    const inSlot = requestSlots(1, ts);
    const [a, b, c] = ['a', 'b', 'c'].map((n) => tracked(log, n));
    inSlot(a!.start);
    const cancelB = inSlot(b!.start);
    inSlot(c!.start);
    cancelB();
    cancelB();
    a!.end();
    ts.flush();
    expect(log).to.deep.equal(['start a', 'end a', 'start c']);
  });

  it('cancels a running request and gives its slot to the next one in a scheduler action', () => {
    const log: string[] = [];
    const inSlot = requestSlots(1, ts);
    const [a, b] = ['a', 'b'].map((n) => tracked(log, n));
    const cancelA = inSlot(a!.start);
    inSlot(b!.start);
    cancelA();
    expect(log).to.deep.equal(['start a', 'cancel a']);
    ts.flush();
    expect(log).to.deep.equal(['start a', 'cancel a', 'start b']);
  });

  it("starts a waiting request in an action of the client's scheduler, whatever freed its slot (outside Angular's zone under provideNucleus)", () => {
    const spy = spyOn(ts);
    const inSlot = requestSlots(1, spy.scheduler);
    const cancelA = inSlot(tracked([], 'a').start);
    let startedInAction: boolean | undefined;
    inSlot(() => {
      startedInAction = spy.inAction;
      return () => undefined;
    });
    cancelA();
    expect(startedInAction).to.equal(undefined);
    ts.flush();
    expect(startedInAction).to.equal(true);
  });

  it('leaves no hand-over scheduled once every request is cancelled, and schedules one per turn', () => {
    const spy = spyOn(ts);
    const inSlot = requestSlots(3, spy.scheduler);
    const rs = ['a', 'b', 'c'].map((n) => tracked([], n));
    for (const r of rs) inSlot(r.start);
    const waiting = ['d', 'e', 'f'].map((n) => inSlot(tracked([], n).start));
    // Three slots freed in one turn: one action hands them on.
    for (const r of rs) r.end();
    expect(spy.scheduled).to.equal(1);
    ts.flush();
    // A running request cancelled schedules a hand-over for the one behind it; that one leaving
    // too cancels it.
    const cancelG = inSlot(tracked([], 'g').start);
    waiting[0]!();
    expect(ts.actions).to.have.length(1);
    cancelG();
    expect(ts.actions).to.have.length(0);
    for (const cancel of waiting) cancel();
    expect(ts.actions).to.have.length(0);
  });

  it('hands slots on at once with a synchronous scheduler (queueScheduler), and keeps doing so', () => {
    const log: string[] = [];
    const inSlot = requestSlots(1, queueScheduler);
    const [a, b, c] = ['a', 'b', 'c'].map((n) => tracked(log, n));
    inSlot(a!.start);
    inSlot(b!.start);
    inSlot(c!.start);
    a!.end();
    b!.end();
    expect(log).to.deep.equal(['start a', 'end a', 'start b', 'end b', 'start c']);
  });

  it('starts none of the waiting requests a teardown cancels right after the running ones', () => {
    // rxjs tears down a merge in subscription order: the running requests first, then the waiting.
    const log: string[] = [];
    const inSlot = requestSlots(2, ts);
    const cancels = ['a', 'b', 'c', 'd', 'e'].map((n) => inSlot(tracked(log, n).start));
    for (const cancel of cancels) cancel();
    ts.flush();
    expect(log).to.deep.equal(['start a', 'start b', 'cancel a', 'cancel b']);
    // The slots are free again.
    inSlot(tracked(log, 'f').start);
    inSlot(tracked(log, 'g').start);
    expect(log.slice(4)).to.deep.equal(['start f', 'start g']);
  });

  it('cancels and frees the slot of a request cancelled while its start runs', () => {
    const log: string[] = [];
    const inSlot = requestSlots(1, ts);
    const a = tracked(log, 'a');
    inSlot(a.start);
    // b's start cancels b, as a fetch whose synchronous side effect unsubscribes its request would.
    const cancelB: () => void = inSlot(() => {
      log.push('start b');
      cancelB();
      return () => log.push('cancel b');
    });
    inSlot(tracked(log, 'c').start);
    a.end();
    ts.flush();
    expect(log).to.deep.equal(['start a', 'end a', 'start b', 'cancel b', 'start c']);
  });

  it('frees a slot once however often it is released or cancelled', () => {
    const log: string[] = [];
    const inSlot = requestSlots(1, ts);
    const [a, b, c] = ['a', 'b', 'c'].map((n) => tracked(log, n));
    const cancelA = inSlot(a!.start);
    inSlot(b!.start);
    inSlot(c!.start);
    a!.end();
    ts.flush();
    a!.end();
    cancelA();
    ts.flush();
    // One slot: b runs, c still waits.
    expect(log).to.deep.equal(['start a', 'end a', 'start b', 'end a', 'cancel a']);
  });

  it('puts a request made from inside a start behind the ones already waiting', () => {
    const log: string[] = [];
    const inSlot = requestSlots(2, ts);
    const a = tracked(log, 'a');
    inSlot(a.start);
    inSlot(tracked(log, 'b').start);
    // c ends as it starts and, from its start, makes x: d waited first, so d goes first.
    inSlot((release) => {
      log.push('start c');
      release();
      inSlot(tracked(log, 'x').start);
      return () => undefined;
    });
    inSlot(tracked(log, 'd').start);
    a.end();
    ts.flush();
    expect(log).to.deep.equal(['start a', 'start b', 'end a', 'start c', 'start d']);
  });

  it('lets a request started from the queue keep none of the requests queued after it', async function () {
    const gc = (globalThis as { gc?: () => void }).gc;
    // .mocharc.json runs mocha with --expose-gc; a run without it cannot check this.
    if (gc === undefined) this.skip();
    const inSlot = requestSlots(2, ts);
    const a = tracked([], 'a');
    const b = tracked([], 'b');
    inSlot(a.start);
    inSlot(b.start);
    // Starts when b ends, then runs for ever; its cancel is kept, as a subscription keeps it.
    const cancelForever = inSlot(() => () => undefined);
    let ref: WeakRef<object> | undefined;
    (() => {
      const big = { payload: new Array(100_000).fill(1) };
      ref = new WeakRef(big);
      // Starts when a ends, and ends as it starts.
      inSlot((release) => {
        release();
        void big.payload.length;
        return () => undefined;
      });
    })();
    b.end();
    a.end();
    ts.flush();
    await new Promise((r) => setTimeout(r, 0));
    gc!();
    expect(ref!.deref()).to.equal(undefined);
    cancelForever();
  });

  it('drains a long queue of requests that end as they start without recursing', () => {
    const inSlot = requestSlots(1, ts);
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
    ts.flush();
    expect(started).to.equal(100_000);
  });

  describe('background requests (polls)', () => {
    /** Ends whichever request started last, then lets the scheduler hand its slot on. */
    function runQueue(log: string[], rs: Record<string, { end: () => void }>, turns: number): void {
      for (let i = 0; i < turns; i++) {
        rs[log[log.length - 1]!.replace(/^start /, '')]!.end();
        ts.flush();
      }
    }

    it('start after every waiting request that is not background, each kind in order', () => {
      const log: string[] = [];
      const inSlot = requestSlots(1, ts);
      const rs = Object.fromEntries(['a', 'poll1', 'b', 'poll2', 'c'].map((n) => [n, tracked(log, n)]));
      inSlot(rs['a']!.start);
      inSlot(rs['poll1']!.start, true);
      inSlot(rs['b']!.start);
      inSlot(rs['poll2']!.start, true);
      inSlot(rs['c']!.start, false);
      runQueue(log, rs, 4);
      expect(log.filter((l) => l.startsWith('start'))).to.deep.equal(['start a', 'start b', 'start c', 'start poll1', 'start poll2']);
    });

    it('let a request made while polls wait go before them', () => {
      const log: string[] = [];
      const inSlot = requestSlots(1, ts);
      const rs = Object.fromEntries(['poll1', 'poll2', 'poll3', 'click'].map((n) => [n, tracked(log, n)]));
      for (const n of ['poll1', 'poll2', 'poll3']) inSlot(rs[n]!.start, true);
      runQueue(log, rs, 1);
      inSlot(rs['click']!.start);
      runQueue(log, rs, 2);
      expect(log.filter((l) => l.startsWith('start'))).to.deep.equal(['start poll1', 'start poll2', 'start click', 'start poll3']);
    });

    it('give a slot freed while a poll waits to a request made before the hand-over runs', () => {
      const log: string[] = [];
      const inSlot = requestSlots(1, ts);
      const a = tracked(log, 'a');
      inSlot(a.start);
      inSlot(tracked(log, 'poll').start, true);
      a.end();
      inSlot(tracked(log, 'click').start);
      expect(log).to.deep.equal(['start a', 'end a']);
      ts.flush();
      expect(log).to.deep.equal(['start a', 'end a', 'start click']);
    });

    it('start at once while slots are free and nobody waits', () => {
      const log: string[] = [];
      const inSlot = requestSlots(2, ts);
      inSlot(tracked(log, 'poll1').start, true);
      inSlot(tracked(log, 'poll2').start, true);
      inSlot(tracked(log, 'a').start);
      expect(log).to.deep.equal(['start poll1', 'start poll2']);
    });

    it('are skipped when cancelled, as others are; the hand-over stays scheduled while either kind waits', () => {
      const log: string[] = [];
      const inSlot = requestSlots(1, ts);
      const a = tracked(log, 'a');
      inSlot(a.start);
      const cancelPoll = inSlot(tracked(log, 'poll').start, true);
      const cancelB = inSlot(tracked(log, 'b').start);
      const cancelPoll2 = inSlot(tracked(log, 'poll2').start, true);
      cancelB();
      cancelPoll();
      a.end();
      ts.flush();
      expect(log).to.deep.equal(['start a', 'end a', 'start poll2']);
      // A poll waits behind a request that leaves: the hand-over for it stays.
      const cancelC = inSlot(tracked(log, 'c').start);
      inSlot(tracked(log, 'poll3').start, true);
      cancelPoll2();
      expect(ts.actions).to.have.length(1);
      cancelC();
      expect(ts.actions).to.have.length(1);
      ts.flush();
      expect(log.slice(3)).to.deep.equal(['cancel poll2', 'start poll3']);
    });

    it('leave no hand-over scheduled once the last waiter of either kind leaves', () => {
      const inSlot = requestSlots(1, ts);
      const cancelA = inSlot(tracked([], 'a').start);
      const cancelPoll = inSlot(tracked([], 'poll').start, true);
      const cancelB = inSlot(tracked([], 'b').start);
      cancelA();
      expect(ts.actions).to.have.length(1);
      cancelB();
      expect(ts.actions).to.have.length(1);
      cancelPoll();
      expect(ts.actions).to.have.length(0);
    });
  });

  it('fills a slot freed during a hand-over in the same action, leaving none scheduled', () => {
    const inSlot = requestSlots(1, ts);
    const a = tracked([], 'a');
    inSlot(a.start);
    // b ends as it starts; c records what is scheduled when it starts.
    inSlot((release) => {
      release();
      return () => undefined;
    });
    let scheduledAtC: number | undefined;
    inSlot(() => {
      scheduledAtC = ts.actions.length;
      return () => undefined;
    });
    a.end();
    ts.flush();
    expect(scheduledAtC).to.equal(0);
  });

  it('skips a waiter cancelled in the middle of the line when several slots free at once', () => {
    const log: string[] = [];
    const inSlot = requestSlots(2, ts);
    const [a, b] = ['a', 'b'].map((n) => tracked(log, n));
    inSlot(a!.start);
    inSlot(b!.start);
    inSlot(tracked(log, 'c').start);
    const cancelD = inSlot(tracked(log, 'd').start);
    inSlot(tracked(log, 'e').start);
    cancelD();
    a!.end();
    b!.end();
    ts.flush();
    expect(log).to.deep.equal(['start a', 'start b', 'end a', 'end b', 'start c', 'start e']);
  });

  it('never queues without a cap (Infinity)', () => {
    const log: string[] = [];
    const inSlot = requestSlots(Infinity, ts);
    for (const n of ['a', 'b', 'c', 'd']) inSlot(tracked(log, n).start);
    expect(log).to.deep.equal(['start a', 'start b', 'start c', 'start d']);
  });
});
