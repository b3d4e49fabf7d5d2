/**
 * One job error as one line of text.
 */
import type { JobErrorRecord } from '../job-error-record.js';
import { sanitize } from './sanitize.js';

/**
 * `<referenceId>  <message>` (`-` when the error names no item), sanitised, on one line.
 *
 * @example
 * formatErrorRecord(parseJobErrorLine('{"annotation":{"referenceId":"x"},"error":"Item with id x doesn\'t exist."}'))
 * // "x  Item with id x doesn't exist."
 */
export function formatErrorRecord(record: Pick<JobErrorRecord, 'referenceId' | 'message'>): string {
  return `${sanitize(record.referenceId ?? '-')}  ${sanitize(record.message)}`;
}
