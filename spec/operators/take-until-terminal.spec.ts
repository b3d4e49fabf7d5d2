import { takeUntilTerminal } from '../../lib/operators/take-until-terminal.js';
import { snap, status, testScheduler } from '../support/marbles.js';

describe('takeUntilTerminal', () => {
  it('passes snapshots up to and including the first terminal one', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const v = { a: snap(status('Queued'), 0), b: snap(status('Running'), 0), t: snap(status('Errored_Server'), 0), c: snap(status('Completed'), 0) };
      const s = cold('-a-b-t-c-', v);
      expectObservable(s.pipe(takeUntilTerminal())).toBe('-a-b-(t|)', v);
      expectSubscriptions(s.subscriptions).toBe('^----!');
    });
  });
});
