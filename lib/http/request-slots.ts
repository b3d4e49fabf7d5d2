/**
 * A cap on the requests a client has in flight at once. Requests past the cap wait their turn and
 * start as earlier ones end: the requests a user waits on (a `job.status()`, an upload) in order, then
 * the polls of watched jobs (`background`) in order. Cancelling a waiting request takes it out of line.
 *
 * Why: thousands of jobs whose polls fall due together (a dashboard opening, a pipeline starting
 * them in one loop) would otherwise send thousands of requests in one tick, open as many sockets,
 * and take their answers back in one burst: seconds of event-loop delay in Node, and a storm the
 * server's rate limit answers with 429s. With a cap, the work of a burst is spread over the time
 * the server takes to answer. Browsers queue too (six HTTP/1.1 connections per host), but only
 * after the request objects and their promises are made.
 *
 * A freed slot starts the next request in an action of the client's scheduler, not in the callback
 * that freed it (see `drainSoon`).
 */
import type { SchedulerLike, Subscription } from 'rxjs';

/** A request waiting for a slot (a list node); `go` is dropped when it is cancelled before its turn. */
interface Waiting {
  go: (() => void) | undefined;
  next?: Waiting;
}

/**
 * A FIFO list of waiting requests. A cancelled waiter leaves it when it is (or becomes) the head;
 * until then it is skipped. `tail` is stale once `head` is empty: only read while there is a head.
 */
interface Line {
  head?: Waiting;
  tail?: Waiting;
}

/**
 * Runs `start` once a slot is free: at once if one is and nobody waits, else at its turn (requests
 * that are not `background` take theirs before the background ones, each kind in order). `start`
 * gets a `release` to call when its request is over and returns a function that cancels the
 * request. What it returns cancels: a waiting request never starts, a running one is cancelled and
 * its slot freed (for the next request in an action of the scheduler). Releasing or cancelling
 * twice is harmless. `start` must not throw (`fetchAnswer` does not: it reports every failure
 * through its callback).
 */
export type RunInSlot = (start: (release: () => void) => () => void, background?: boolean) => () => void;

/**
 * At most `limit` requests running at once (`Infinity`: no cap). A function over closures rather
 * than a class: a client makes one, and closures minify smaller than `#private` fields.
 *
 * @example
 * ```ts
 * const inSlot = requestSlots(32, asyncScheduler);
 * const cancel = inSlot((release) => {
 *   const abort = send(() => release()); // release once the request is over
 *   return abort;
 * });
 * ```
 */
export function requestSlots(limit: number, scheduler: SchedulerLike): RunInSlot {
  let free = limit;
  // The requests a user waits on, then the background ones (polls): a click's request does not
  // queue behind the polls of a thousand watched jobs.
  const lines: [Line, Line] = [{}, {}];
  let draining = false;
  /** The scheduled hand-over, while one is pending. */
  let due: Subscription | undefined;
  // The first line with a live waiter, cancelled waiters at the heads dropped on the way.
  const waiting = (): Line | undefined => {
    for (const line of lines) {
      while (line.head && !line.head.go) line.head = line.head.next;
      if (line.head) return line;
    }
    return undefined;
  };
  // Starts waiting requests while slots are free.
  const drain = (): void => {
    if (draining) return;
    draining = true;
    try {
      for (let line; free > 0 && (line = waiting()); ) {
        const w = line.head!;
        line.head = w.next;
        // A running request keeps its node (for cancel): it must not keep the ones after it.
        w.next = undefined;
        w.go!();
      }
    } finally {
      draining = false;
    }
  };
  // A freed slot goes to the next request in an action of the client's scheduler, never at once:
  // - a request waiting its turn starts where the client's timers run (outside Angular's zone under
  //   `provideNucleus`), not in the zone of whatever freed the slot (a click's request ending, a
  //   component unsubscribing);
  // - rxjs tears down a merge or a forkJoin in subscription order, running requests first, and the
  //   waiting ones the same teardown is about to cancel must not be sent (and aborted) in between;
  // - the slots freed in one turn are filled by one action; none is scheduled when nobody waits, and
  //   the pending one is cancelled when the last waiter leaves.
  const drainSoon = (): void => {
    // Nobody waiting: nothing to schedule (a later request finds the slot free itself). A drain
    // running fills the slot itself (it checks for free slots again).
    if (draining || due || !waiting()) return;
    let ran = false;
    const action = scheduler.schedule(() => {
      ran = true;
      due = undefined;
      drain();
    });
    // A synchronous scheduler (queueScheduler) has run it already: nothing is pending.
    if (!ran) due = action;
  };
  return (start, background) => {
    let cancel: (() => void) | undefined;
    let held = false;
    let cancelled = false;
    const release = (): void => {
      if (held) {
        held = false;
        free++;
        drainSoon();
      }
    };
    const stop = (): void => {
      cancel!();
      release();
    };
    const w: Waiting = {
      go: () => {
        // Dropped once started: a running request's node keeps no closure over `start`.
        w.go = undefined;
        free--;
        held = true;
        cancel = start(release);
        // Cancelled while `start` ran (a fetch whose synchronous side effect unsubscribes).
        if (cancelled) stop();
      },
    };
    if (free > 0 && !waiting()) w.go!();
    else {
      const line = lines[background ? 1 : 0];
      if (line.head) line.tail = line.tail!.next = w;
      else line.head = line.tail = w;
    }
    return () => {
      cancelled = true;
      w.go = undefined;
      if (cancel) return stop();
      // With nobody left waiting no hand-over stays scheduled (a torn-down batch leaves no timer
      // behind).
      if (!waiting()) {
        due?.unsubscribe();
        due = undefined;
      }
    };
  };
}
