/**
 * The emulator's clock: where "now" and every timer of the job engine come from, so that tests can
 * run jobs in virtual time ({@link createManualClock}) or accelerated time ({@link scaledClock}).
 *
 * @example
 * ```ts
 * import { startEmulator, createManualClock } from 'nucleus-rx/emulator';
 * const clock = createManualClock(Date.parse('2026-11-28T10:00:00Z'));
 * const emu = await startEmulator({ clock });
 * // ... start a job over HTTP, then:
 * clock.advance(5_000); // runs every engine timer due within those 5 s, in order
 * ```
 */

/** An opaque timer handle. */
export type TimerHandle = { readonly __timer: true } | object;

export interface EmulatorClock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `fn` once, `ms` milliseconds of this clock's time from now. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The real clock (`Date.now`, `setTimeout`). Its timers do not keep the process alive on their own. */
export const systemClock: EmulatorClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, Math.max(0, ms)),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * The real clock with every delay divided by `speed` (`speed: 10` runs a 5 s step in 0.5 s).
 * `now()` stays real time, so job creation times are true wall-clock times.
 */
export function scaledClock(speed: number, base: EmulatorClock = systemClock): EmulatorClock {
  if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError('speed must be a finite number > 0');
  if (speed === 1) return base;
  return {
    now: () => base.now(),
    setTimeout: (fn, ms) => base.setTimeout(fn, ms / speed),
    clearTimeout: (h) => base.clearTimeout(h),
  };
}

/** A clock that only moves when told to. */
export interface ManualClock extends EmulatorClock {
  /** Moves time forward by `ms`, running every timer that falls due, in due order (ties: creation order). */
  advance(ms: number): void;
  /** Moves time forward to the next pending timer and runs it (and any due at the same instant); false when none. */
  runNext(): boolean;
  /** How many timers are pending. */
  pending(): number;
}

/** A {@link ManualClock} starting at `startMs` (default 2026-01-01T00:00:00Z). */
export function createManualClock(startMs: number = Date.UTC(2026, 0, 1)): ManualClock {
  let now = startMs;
  let seq = 0;
  interface Timer { due: number; seq: number; fn: () => void }
  const timers = new Set<Timer>();

  const nextDue = (): Timer | undefined => {
    let best: Timer | undefined;
    for (const t of timers) if (!best || t.due < best.due || (t.due === best.due && t.seq < best.seq)) best = t;
    return best;
  };

  const runUntil = (limit: number): void => {
    for (;;) {
      const t = nextDue();
      if (!t || t.due > limit) break;
      timers.delete(t);
      now = Math.max(now, t.due);
      t.fn();
    }
    now = Math.max(now, limit);
  };

  return {
    now: () => now,
    setTimeout(fn, ms) {
      const t: Timer = { due: now + Math.max(0, ms), seq: seq++, fn };
      timers.add(t);
      return t;
    },
    clearTimeout(h) {
      timers.delete(h as Timer);
    },
    advance(ms) {
      if (!(ms >= 0)) throw new RangeError('advance() needs a duration >= 0');
      runUntil(now + ms);
    },
    runNext() {
      const t = nextDue();
      if (!t) return false;
      runUntil(t.due);
      return true;
    },
    pending: () => timers.size,
  };
}
