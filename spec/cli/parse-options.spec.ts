import { expect } from 'chai';
import { InvalidArgumentError } from 'commander';
import { parseDate, parseInteger, parseJobId, parsePositive, parseSeconds } from '../../lib/cli/parse-options.js';

describe('cli/parse-options', () => {
  it('parseDate accepts calendar dates and ISO date-times, as UTC ISO strings', () => {
    expect(parseDate('2026-11-28')).to.equal('2026-11-28T00:00:00.000Z');
    expect(parseDate('2026-11-28T10:00:00Z')).to.equal('2026-11-28T10:00:00.000Z');
    expect(parseDate('2026-11-28T10:00')).to.equal('2026-11-28T10:00:00.000Z');
    expect(parseDate('2026-11-28 10:00:05.25')).to.equal('2026-11-28T10:00:05.250Z');
    expect(parseDate('2026-11-28T10:00:00+01:00')).to.equal('2026-11-28T09:00:00.000Z');
    expect(parseDate('2026-11-28T10:00:00-0230')).to.equal('2026-11-28T12:30:00.000Z');
  });

  it('parseDate rejects what is not a date, and impossible dates', () => {
    for (const bad of ['yesterday', '28/11/2026', '2026-11', '2026-02-31', '2026-13-01', '2026-11-28T25:00', '2026-11-28T10:61', '']) {
      expect(() => parseDate(bad), bad).to.throw(InvalidArgumentError);
    }
  });

  it('parseInteger checks form and bounds', () => {
    const p = parseInteger(1, 50_000);
    expect(p('100')).to.equal(100);
    for (const bad of ['0', '50001', '1.5', 'ten', '', '1e3']) expect(() => p(bad), bad).to.throw(InvalidArgumentError);
  });

  it('parseSeconds gives milliseconds and refuses zero or junk', () => {
    expect(parseSeconds('1.5')).to.equal(1500);
    expect(parseSeconds('30')).to.equal(30_000);
    for (const bad of ['0', '-1', 'abc', '']) expect(() => parseSeconds(bad), bad).to.throw(InvalidArgumentError);
  });

  it('parseJobId refuses ids that cannot be a path segment, with the input sanitised in the message', () => {
    expect(parseJobId('job_c19xcf9mkws46gah0000')).to.equal('job_c19xcf9mkws46gah0000');
    expect(() => parseJobId('../etc')).to.throw(InvalidArgumentError);
    expect(() => parseJobId('job 1')).to.throw(InvalidArgumentError);
    expect(() => parseJobId('')).to.throw(InvalidArgumentError);
    try {
      parseJobId('x\u001b[2Jy/');
      expect.fail('should throw');
    } catch (e) {
      expect((e as Error).message).to.not.contain('\u001b');
    }
  });
});

describe('cli/parse-options parsePositive', () => {
  it('accepts decimals above 0 up to the bound', () => {
    const p = parsePositive(1000);
    expect(p('2.5')).to.equal(2.5);
    expect(p('1000')).to.equal(1000);
    for (const bad of ['0', '0.0', '-1', '1001', 'fast', '']) expect(() => p(bad), bad).to.throw(InvalidArgumentError);
  });
});
