import { expect } from 'chai';
import { EXCERPT_LENGTH, bodyExcerpt } from '../../lib/http/body-excerpt.js';

describe('bodyExcerpt', () => {
  it('removes control characters and collapses whitespace', () => {
    expect(bodyExcerpt('{"error":\n\t "no\u0007 such job"}\r\n')).to.equal('{"error": "no such job"}');
  });
  it('cuts long bodies with an ellipsis and drops empty ones', () => {
    expect(bodyExcerpt('x'.repeat(1000))).to.equal(`${'x'.repeat(EXCERPT_LENGTH)}…`);
    expect(bodyExcerpt(' \n ')).to.equal(undefined);
  });
});
