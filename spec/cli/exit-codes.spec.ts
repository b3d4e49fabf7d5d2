import { expect } from 'chai';
import { ExitCode, worstExitCode } from '../../lib/cli/exit-codes.js';

describe('cli/exit-codes', () => {
  it('are distinct', () => {
    const codes = Object.values(ExitCode);
    expect(new Set(codes).size).to.equal(codes.length);
  });

  it('worstExitCode ranks API errors over failures over timeouts over cancellations over success', () => {
    expect(worstExitCode([])).to.equal(ExitCode.Ok);
    expect(worstExitCode([ExitCode.Ok, ExitCode.Ok])).to.equal(ExitCode.Ok);
    expect(worstExitCode([ExitCode.Ok, ExitCode.JobCancelled])).to.equal(ExitCode.JobCancelled);
    expect(worstExitCode([ExitCode.JobCancelled, ExitCode.JobTimedOut])).to.equal(ExitCode.JobTimedOut);
    expect(worstExitCode([ExitCode.JobTimedOut, ExitCode.JobFailed, ExitCode.Ok])).to.equal(ExitCode.JobFailed);
    expect(worstExitCode([ExitCode.JobFailed, ExitCode.ApiError])).to.equal(ExitCode.ApiError);
    expect(worstExitCode([ExitCode.ApiError, ExitCode.Unreachable])).to.equal(ExitCode.Unreachable);
  });
});
