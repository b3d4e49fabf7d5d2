import { expect } from 'chai';
import { parseRetryAfter } from '../../lib/http/retry-after.js';

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('2', 123)).to.equal(2000);
    expect(parseRetryAfter(' 0 ', 0)).to.equal(0);
    expect(parseRetryAfter('1.5', 0)).to.equal(1500);
  });
  it('reads an HTTP date relative to now, a past date giving 0', () => {
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:05 GMT', 1000)).to.equal(4000);
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:00 GMT', Date.parse('2026-10-21T07:27:00Z'))).to.equal(60_000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:05 GMT', 10_000)).to.equal(0);
  });
  it('ignores absent and unparseable values', () => {
    for (const v of [null, undefined, '', '-5', '1e3', 'soon', 'Foo, 99 Bar']) expect(parseRetryAfter(v, 0), String(v)).to.equal(undefined);
  });
});
