import { expect } from 'chai';
import { isPlainObject } from '../lib/plain-object.js';

describe('isPlainObject', () => {
  it('accepts objects, not null, arrays or primitives', () => {
    expect(isPlainObject({})).to.equal(true);
    expect(isPlainObject({ a: 1 })).to.equal(true);
    expect(isPlainObject(Object.create(null))).to.equal(true);
    expect(isPlainObject(null)).to.equal(false);
    expect(isPlainObject([])).to.equal(false);
    expect(isPlainObject('{}')).to.equal(false);
    expect(isPlainObject(1)).to.equal(false);
    expect(isPlainObject(undefined)).to.equal(false);
  });
});
