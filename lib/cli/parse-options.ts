/**
 * Parsers of option values: strict, so that a typo is reported rather than silently sent.
 * They throw commander's `InvalidArgumentError`, which commander turns into a one-line
 * `error: option '--from <date>' argument '...' is invalid. <reason>` and exit code 2.
 */
import { InvalidArgumentError } from 'commander';
import { sanitize } from './sanitize.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * A calendar date (`2026-11-28`, midnight UTC) or an ISO-8601 date-time (`2026-11-28T10:00:00Z`,
 * `2026-11-28T10:00+01:00`; UTC when no offset is given), as an ISO string in UTC.
 *
 * @example
 * parseDate('2026-11-28') // '2026-11-28T00:00:00.000Z'
 */
export function parseDate(value: string): string {
  const m = DATE.exec(value.trim());
  if (!m) throw new InvalidArgumentError(`Expected a date like 2026-11-28 or 2026-11-28T10:00:00Z.`);
  const [, y, mo, d, h = '00', mi = '00', s = '00', ms = '0', zone = 'Z'] = m;
  const offset = zone === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms.padEnd(3, '0')}${offset}`);
  // Date accepts 2026-02-31 and rolls it over: check the calendar day on its own.
  const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  const realDay = day.getUTCFullYear() === Number(y) && day.getUTCMonth() === Number(mo) - 1 && day.getUTCDate() === Number(d);
  if (Number.isNaN(date.getTime()) || !realDay || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    throw new InvalidArgumentError(`No such date or time.`);
  }
  return date.toISOString();
}

/**
 * A whole number within bounds.
 *
 * @example
 * parseInteger(1, 50_000)('100') // 100
 */
export function parseInteger(min: number, max: number): (value: string) => number {
  return (value) => {
    if (!/^\s*-?\d+\s*$/.test(value)) throw new InvalidArgumentError(`Expected a whole number.`);
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`Expected a number from ${min} to ${max}.`);
    return n;
  };
}

/**
 * A positive number of seconds (decimals allowed), in milliseconds.
 *
 * @example
 * parseSeconds('1.5') // 1500
 */
export function parseSeconds(value: string): number {
  if (!/^\s*\d+(\.\d+)?\s*$/.test(value)) throw new InvalidArgumentError(`Expected a number of seconds.`);
  const ms = Math.round(Number(value) * 1000);
  if (ms <= 0) throw new InvalidArgumentError(`Expected more than 0 seconds.`);
  return ms;
}

/**
 * A job id as the user typed it: non-empty, printable, no spaces or slashes (it goes into a URL
 * path).
 */
export function parseJobId(value: string): string {
  if (!/^[A-Za-z0-9_.:-]{1,200}$/.test(value)) {
    throw new InvalidArgumentError(`Not a job id: '${sanitize(value).slice(0, 60)}'.`);
  }
  return value;
}

/**
 * A number greater than 0 and at most `max` (decimals allowed).
 *
 * @example
 * parsePositive(1000)('2.5') // 2.5
 */
export function parsePositive(max: number): (value: string) => number {
  return (value) => {
    if (!/^\s*\d+(\.\d+)?\s*$/.test(value)) throw new InvalidArgumentError(`Expected a positive number.`);
    const n = Number(value);
    if (n <= 0 || n > max) throw new InvalidArgumentError(`Expected a number above 0 and at most ${max}.`);
    return n;
  };
}
