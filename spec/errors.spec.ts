import { expect } from 'chai';
import { inspect } from 'node:util';
import { ApiError, DecodeError, NotFoundError, RateLimitError, isApiError, isNotFoundError, isNucleusError } from '../lib/errors.js';

describe('errors', () => {
  it('ApiError.from picks the subclass from the status and the guards see through it', () => {
    const e = ApiError.from({ status: 404, method: 'GET', route: 'job/job_1', requestId: 'r1', bodyExcerpt: 'no such job' });
    expect(e).to.be.instanceOf(NotFoundError);
    expect(e.name).to.equal('NotFoundError');
    expect(isNotFoundError(e) && isApiError(e) && isNucleusError(e)).to.equal(true);
    expect(e.message).to.equal('GET job/job_1 answered 404: no such job (request id r1)');
    expect(String(e)).to.equal('NotFoundError: GET job/job_1 answered 404: no such job (request id r1)');
    expect(ApiError.from({ status: 429, method: 'GET', route: 'x' })).to.be.instanceOf(RateLimitError);
    expect(isApiError(new Error('x'))).to.equal(false);
  });

  it('serialises its public fields and hides io-ts internals', () => {
    const e = new DecodeError({ route: 'job/j', paths: ['status'], errors: [] });
    const json = JSON.parse(JSON.stringify(e));
    expect(json).to.deep.equal({ name: 'DecodeError', message: 'Answer of job/j is malformed at status', route: 'job/j', paths: ['status'] });
    expect(inspect(e)).to.contain('DecodeError');
  });
});
