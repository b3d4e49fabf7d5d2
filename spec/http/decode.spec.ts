import { expect } from 'chai';
import * as t from 'io-ts';
import * as E from 'fp-ts/lib/Either.js';
import { JobInfoList } from '../../lib/codecs/job.js';
import { DecodeError } from '../../lib/errors.js';
import { decodeOrThrow, errorPaths, parseJsonOrThrow } from '../../lib/http/decode.js';

const paths = (codec: t.Decoder<unknown, unknown>, u: unknown) => {
  const r = codec.decode(u);
  if (E.isRight(r)) throw new Error('expected a failure');
  return errorPaths(r.left);
};

describe('decode', () => {
  it('reports field paths with array indices, without structural union/intersection members', () => {
    expect(paths(t.type({ a: t.type({ b: t.string }) }), { a: { b: 1 } })).to.deep.equal(['a.b']);
    expect(paths(JobInfoList, [{ job_id: 'j', job_last_known_status: 'Running', job_type: 'x', job_creation_time: 't' }, { job_id: 3 }])).to.deep.equal([
      '[1].job_id',
      '[1].job_last_known_status',
      '[1].job_type',
      '[1].job_creation_time',
    ]);
    expect(paths(t.intersection([t.type({ a: t.string }), t.partial({ b: t.number })]), { a: 'x', b: 'y' })).to.deep.equal(['b']);
    expect(paths(t.string, 1)).to.deep.equal(['(root)']);
  });
  it('throws a DecodeError for the route', () => {
    expect(() => decodeOrThrow(t.string, 1, 'job/j')).to.throw(DecodeError, 'Answer of job/j is malformed at (root)');
    expect(decodeOrThrow(t.string, 'x', 'job/j')).to.equal('x');
    expect(() => parseJsonOrThrow('{', 'jobs/')).to.throw(DecodeError);
  });
  it('marks a body that is not JSON at all as notJson, and an answer of the wrong shape not', () => {
    const notJson = (() => {
      try {
        parseJsonOrThrow('<html>maintenance</html>', 'job/j');
      } catch (e) {
        return e as DecodeError;
      }
    })();
    expect(notJson?.notJson).to.equal(true);
    expect(() => decodeOrThrow(t.string, 1, 'job/j')).to.throw(DecodeError).with.property('notJson', false);
  });
  it('lists at most five paths in the message', () => {
    const e = new DecodeError({ route: 'r', paths: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] });
    expect(e.message).to.equal('Answer of r is malformed at a, b, c, d, e, and 2 more');
  });
});
