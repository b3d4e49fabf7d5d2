import { expect } from 'chai';
import { newRequestId } from '../lib/request-id.js';

describe('newRequestId', () => {
  it('is a fresh UUID v4 as 32 lowercase hex digits', () => {
    const ids = new Set(Array.from({ length: 100 }, () => newRequestId()));
    expect(ids.size).to.equal(100);
    for (const id of ids) expect(id).to.match(/^[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}$/);
  });
});
