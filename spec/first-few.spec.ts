import { expect } from 'chai';
import { firstFew } from '../lib/first-few.js';

describe('firstFew', () => {
  it('joins up to five items', () => {
    expect(firstFew([], ', ')).to.equal('');
    expect(firstFew(['a'], '; ')).to.equal('a');
    expect(firstFew(['a', 'b', 'c', 'd', 'e'], ', ')).to.equal('a, b, c, d, e');
  });
  it('counts the items past the fifth, after the same separator', () => {
    expect(firstFew(['a', 'b', 'c', 'd', 'e', 'f', 'g'], ', ')).to.equal('a, b, c, d, e, and 2 more');
    expect(firstFew(['a', 'b', 'c', 'd', 'e', 'f'], '; ')).to.equal('a; b; c; d; e; and 1 more');
  });
});
