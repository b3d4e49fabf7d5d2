import { expect } from 'chai';
import { ApiError, ConfigurationError, ConnectionError, DecodeError, NucleusError, ValidationError } from '../../lib/errors.js';
import { ExitCode } from '../../lib/cli/exit-codes.js';
import { describeFailure, reportFailure } from '../../lib/cli/failure.js';

describe('cli/failure', () => {
  it('maps configuration and validation errors to usage', () => {
    expect(describeFailure(new ConfigurationError('NUCLEUS_API_KEY is not set'))).to.deep.equal({ message: 'NUCLEUS_API_KEY is not set', code: ExitCode.Usage });
    expect(describeFailure(new ValidationError('bad')).code).to.equal(ExitCode.Usage);
  });

  it('maps server answers to API errors, naming the key problem without the key', () => {
    expect(describeFailure(ApiError.from({ status: 401, method: 'GET', route: 'job/x' }))).to.deep.equal({
      message: 'the server refused the API key (401): check NUCLEUS_API_KEY',
      code: ExitCode.ApiError,
    });
    expect(describeFailure(ApiError.from({ status: 404, method: 'GET', route: 'job/x' }))).to.deep.equal({ message: 'not found: GET job/x answered 404', code: ExitCode.ApiError });
    expect(describeFailure(ApiError.from({ status: 500, method: 'GET', route: 'job/x', bodyExcerpt: 'boom\u001b[2J' })).message).to.equal('GET job/x answered 500: boom');
    expect(describeFailure(new DecodeError({ route: 'job/x', paths: ['status'] })).code).to.equal(ExitCode.ApiError);
  });

  it('maps connection errors to unreachable, with the endpoint and the cause code', () => {
    const cause = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    expect(describeFailure(new ConnectionError({ method: 'POST', route: 'jobs/', cause }), 'http://127.0.0.1:9')).to.deep.equal({
      message: 'cannot reach http://127.0.0.1:9: POST jobs/ failed: no answer from the server (ECONNREFUSED)',
      code: ExitCode.Unreachable,
    });
  });

  it('maps the job errors by name and anything else to internal', () => {
    const named = (name: string) => Object.defineProperty(new NucleusError('job job_1 ended'), 'name', { value: name });
    expect(describeFailure(named('JobError')).code).to.equal(ExitCode.JobFailed);
    expect(describeFailure(named('JobCancelledError')).code).to.equal(ExitCode.JobCancelled);
    expect(describeFailure(named('JobTimeoutError')).code).to.equal(ExitCode.JobTimedOut);
    expect(describeFailure(new RangeError('oops\nline2'))).to.deep.equal({ message: 'internal error: oops line2', code: ExitCode.Internal });
  });

  it('reportFailure prints one line and a stack only when debugging an internal error', () => {
    const lines: string[] = [];
    const out = { warn: (t: string) => lines.push(t) };
    expect(reportFailure(out, new ConfigurationError('x'))).to.equal(ExitCode.Usage);
    expect(reportFailure(out, new Error('boom'))).to.equal(ExitCode.Internal);
    expect(lines).to.deep.equal(['error: x', 'error: internal error: boom']);
    reportFailure(out, new Error('boom'), undefined, true);
    expect(lines).to.have.length(4);
  });
});
