import { expect } from 'chai';
import * as ioTs from 'io-ts';
import * as t from '../../lib/codecs/io-ts.js';

describe('codecs/io-ts (the codecs imports of io-ts)', () => {
  it("re-exports io-ts's own values, nothing else", () => {
    const names = Object.keys(t);
    expect(names).to.include.members(['Type', 'type', 'string', 'null']);
    for (const name of names) expect((t as Record<string, unknown>)[name], name).to.equal((ioTs as Record<string, unknown>)[name]);
  });
});
