import { expect } from 'chai';
import { ApiError, ConfigurationError } from '../../lib/errors.js';
import { DEFAULT_RETRY_OPTIONS, resolveRetryOptions, retryDelayMs } from '../../lib/http/retry-policy.js';

describe('retry policy', () => {
  const o = { ...DEFAULT_RETRY_OPTIONS, random: () => 0.5 };
  it('grows 1 s, 3 s, 9 s, 27 s by default and stops after maxRetries', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, new Error(), o))).to.deep.equal([1000, 3000, 9000, 27_000, undefined]);
  });
  it('jitters within [0.5, 1.5) of the base and caps at maxDelayMs', () => {
    expect(retryDelayMs(1, new Error(), { ...o, random: () => 0 })).to.equal(500);
    expect(retryDelayMs(1, new Error(), { ...o, random: () => 0.999 })).to.equal(1499);
    expect(retryDelayMs(4, new Error(), { ...o, random: () => 0.999 })).to.equal(30_000);
  });
  it('uses Retry-After exactly, unless above maxRetryAfterMs', () => {
    const e = (ms: number) => ApiError.from({ status: 429, method: 'GET', route: 'x', retryAfterMs: ms });
    expect(retryDelayMs(1, e(12_345), o)).to.equal(12_345);
    expect(retryDelayMs(1, e(0), o)).to.equal(0);
    expect(retryDelayMs(1, e(120_001), o)).to.equal(undefined);
  });
  it('resolves options with defaults, false meaning no retries, and rejects nonsense', () => {
    expect(resolveRetryOptions({ maxRetries: 2 }).initialDelayMs).to.equal(1000);
    expect(resolveRetryOptions(false).maxRetries).to.equal(0);
    expect(() => resolveRetryOptions({ maxRetries: -1 })).to.throw(ConfigurationError, 'retry.maxRetries must be a non-negative number');
    expect(() => resolveRetryOptions({ maxRetries: 1.5 })).to.throw(ConfigurationError, 'retry.maxRetries must be a non-negative number');
  });
});
