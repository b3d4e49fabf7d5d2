import { expect } from 'chai';
import * as rxjs from 'rxjs';
import * as rx from '../lib/rx.js';

describe('rx (the root entry imports of rxjs)', () => {
  it("re-exports rxjs's own values, nothing else", () => {
    const names = Object.keys(rx);
    expect(names).to.not.be.empty;
    for (const name of names) expect((rx as Record<string, unknown>)[name], name).to.equal((rxjs as Record<string, unknown>)[name]);
  });
});
