import { expect } from 'chai';
import { ConnectionError } from '../../lib/errors.js';
import { type FetchAnswerRequest, type FetchLike, type FetchResponse, fetchAnswer } from '../../lib/http/fetch-answer.js';
import { settle } from '../helpers/fake-fetch.js';

const requestWith = (fetch: FetchLike): FetchAnswerRequest => ({
  fetch,
  url: 'http://127.0.0.1:1/job/j',
  method: 'GET',
  headers: {},
  route: 'job/j',
  deadlines: undefined,
  sanitizeCause: (e) => e,
});

describe('fetchAnswer', () => {
  let unhandled: unknown[];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
  let mochaListeners: NodeJS.UnhandledRejectionListener[];
  beforeEach(() => {
    unhandled = [];
    // Take the rejections this test provokes instead of mocha (which would fail the run elsewhere).
    mochaListeners = process.listeners('unhandledRejection');
    process.removeAllListeners('unhandledRejection');
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
    for (const l of mochaListeners) process.on('unhandledRejection', l);
  });

  it('a response whose text() throws synchronously fails with ConnectionError, leaving no unhandled rejection', async () => {
    const boom = new Error('body stream already read');
    const response: FetchResponse = {
      status: 200,
      headers: { get: () => null },
      text: () => {
        throw boom;
      },
    };
    const results: [boolean, unknown][] = [];
    fetchAnswer(requestWith(() => Promise.resolve(response)), (ok, result) => results.push([ok, result]));
    await settle();
    expect(unhandled).to.deep.equal([]);
    expect(results).to.have.length(1);
    expect(results[0]![0]).to.equal(false);
    expect(results[0]![1]).to.be.instanceOf(ConnectionError);
    expect((results[0]![1] as ConnectionError).cause).to.equal(boom);
  });

  it('a fetch that returns something other than a promise fails with ConnectionError instead of throwing', async () => {
    const results: [boolean, unknown][] = [];
    const notAPromise = (() => undefined) as unknown as FetchLike;
    expect(() => fetchAnswer(requestWith(notAPromise), (ok, result) => results.push([ok, result]))).not.to.throw();
    await settle();
    expect(unhandled).to.deep.equal([]);
    expect(results).to.have.length(1);
    expect(results[0]![1]).to.be.instanceOf(ConnectionError);
  });
});
