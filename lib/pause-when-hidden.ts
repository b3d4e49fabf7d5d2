/**
 * pauseWhenHidden: the page's visibility as a `pause$` input for AsyncJob, so that a job shown in a
 * browser tab stops polling while the tab is hidden and polls again as soon as it shows.
 */
import { Observable } from './rx.js';

/**
 * What pauseWhenHidden reads of a document: `hidden` and the `visibilitychange` event. The browser's
 * `document` is one; tests hand in a fake.
 */
export interface VisibilitySource {
  readonly hidden: boolean;
  addEventListener(type: 'visibilitychange', listener: () => void): void;
  removeEventListener(type: 'visibilitychange', listener: () => void): void;
}

export interface PauseWhenHiddenOptions {
  /** The document to watch. Defaults to the global `document` when there is one. */
  readonly document?: VisibilitySource;
}

/**
 * An Observable of `true` while the page is hidden and `false` while it is visible: hand it to an
 * AsyncJob as `pause$`.
 *
 * Emits the current state at once on subscribe, then each change (never the same value twice in a
 * row); it never completes. The `visibilitychange` listener is added per subscription and removed on
 * unsubscribe; the jobs given the same `pauseWhenHidden()` share one subscription. Where there is no document (Node, a web worker), it emits `false` once: never paused.
 *
 * ## Example
 * ```ts
 * import { pauseWhenHidden } from 'nucleus-rx';
 *
 * const job = client.getJob(jobId, { pause$: pauseWhenHidden() });
 * job.subscribe(s => render(s)); // no request leaves a hidden tab
 * ```
 *
 * @param options.document the document to watch (defaults to the global one)
 * @return an Observable of "paused" flags
 */
export function pauseWhenHidden(options: PauseWhenHiddenOptions = {}): Observable<boolean> {
  return new Observable<boolean>((subscriber) => {
    const doc = options.document ?? globalDocument();
    if (doc === undefined) {
      subscriber.next(false);
      return undefined;
    }
    let last = doc.hidden === true;
    subscriber.next(last);
    const onChange = (): void => {
      const hidden = doc.hidden === true;
      if (hidden !== last) {
        last = hidden;
        subscriber.next(hidden);
      }
    };
    doc.addEventListener('visibilitychange', onChange);
    return () => doc.removeEventListener('visibilitychange', onChange);
  });
}

// `typeof` guard: the root entry also runs in Node, where `document` is not declared at runtime.
function globalDocument(): VisibilitySource | undefined {
  return typeof document === 'undefined' ? undefined : (document as VisibilitySource);
}
