import { whenTerminal } from '../../lib/operators/when-terminal.js';
import { snap, status, testScheduler } from '../support/marbles.js';

describe('whenTerminal', () => {
  it('emits only the first terminal snapshot, then completes', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const v = { a: snap(status('Queued'), 0), x: snap(status('Cancelled'), 0), c: snap(status('Completed'), 0) };
      const s = cold('-a-a-x-c-', v);
      expectObservable(s.pipe(whenTerminal())).toBe('-----(x|)', v);
      expectSubscriptions(s.subscriptions).toBe('^----!');
    });
  });

  it('completes empty when the source ends before a terminal snapshot', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectObservable }) => {
      expectObservable(cold('-a|', { a: snap(status('Running'), 0) }).pipe(whenTerminal())).toBe('--|');
    });
  });
});
