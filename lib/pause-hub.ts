/**
 * Pause hubs: one subscription per distinct `pause$` Observable, however many polling loops it is
 * given to. A pause signal is a state (a hidden tab, a client-wide hold), usually handed to every job
 * of a client or a page; one subscription per job cost about 0.4 KB per watched job and, for
 * `pauseWhenHidden()`, one DOM listener per job (docs/performance.md, "Client cost at scale").
 *
 * The first loop to join subscribes; a loop joining later gets the latest value at once (when the
 * signal has emitted `true`); the last one leaving unsubscribes. After the signal errors (every loop
 * joined is halted with the error) or completes (the loops keep its last value), the next loop to
 * join subscribes afresh, as it would have on its own.
 */
import type { Observable, Subscription } from 'rxjs';

/** What a hub drives: a polling loop. */
export interface PauseListener {
  setPaused(paused: boolean): void;
  halt(error: unknown): void;
}

const hubs = new WeakMap<Observable<boolean>, PauseHub>();

/** Starts following `pause$` for `listener` (which may be told its state synchronously). */
export function joinPause(pause$: Observable<boolean>, listener: PauseListener): void {
  const hub = hubs.get(pause$);
  if (hub) hub.join(listener);
  else {
    const fresh = new PauseHub(pause$, listener);
    hubs.set(pause$, fresh);
    fresh.connect();
  }
}

/** Stops following `pause$` for `listener`; the last listener leaving unsubscribes. */
export function leavePause(pause$: Observable<boolean>, listener: PauseListener): void {
  hubs.get(pause$)?.leave(listener);
}

/** One subscription to a pause signal, its latest value, the loops following it. */
class PauseHub {
  readonly #pause$: Observable<boolean>;
  readonly #listeners = new Set<PauseListener>();
  #paused = false;
  #subscription: Subscription | undefined;
  // Unsubscribed, errored or completed: no longer in `hubs`.
  #done = false;

  constructor(pause$: Observable<boolean>, first: PauseListener) {
    this.#pause$ = pause$;
    this.#listeners.add(first);
  }

  connect(): void {
    // The source may emit, error, or lose its last listener before `subscribe` returns; one whose
    // `subscribe` throws errors like one that errors.
    let subscription: Subscription;
    try {
      subscription = this.#pause$.subscribe(this);
    } catch (e) {
      this.error(e);
      return;
    }
    if (this.#done) subscription.unsubscribe();
    else this.#subscription = subscription;
  }

  join(listener: PauseListener): void {
    this.#listeners.add(listener);
    if (this.#paused) listener.setPaused(true);
  }

  leave(listener: PauseListener): void {
    if (!this.#listeners.delete(listener) || this.#listeners.size > 0) return;
    this.#end();
    this.#subscription?.unsubscribe();
  }

  // The hub is its own observer: no observer of closures per signal.
  next(paused: boolean): void {
    this.#paused = paused;
    // A copy: a listener may stop (and leave) or another join while being told; one that left is
    // not told, one that joined was told the state when it joined.
    for (const listener of [...this.#listeners]) if (this.#listeners.has(listener)) listener.setPaused(paused);
  }

  error(error: unknown): void {
    this.#end();
    const listeners = [...this.#listeners];
    this.#listeners.clear();
    for (const listener of listeners) listener.halt(error);
  }

  complete(): void {
    this.#end();
  }

  #end(): void {
    this.#done = true;
    if (hubs.get(this.#pause$) === this) hubs.delete(this.#pause$);
  }
}
