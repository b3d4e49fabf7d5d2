/**
 * Test support: every way an error can be shown (message, stack, `String`, JSON, `util.inspect` with
 * its cause chain), and an assertion that none of them carries an API key or its Basic token.
 */
import { expect } from 'chai';
import { inspect } from 'node:util';
import { base64Utf8 } from '../../lib/http/credentials.js';
import { isNucleusError } from '../../lib/errors.js';

/** What a user or a logger may print of `e`. */
export function renderings(e: unknown): string[] {
  const err = e as Error;
  return [
    err.message,
    err.stack ?? '',
    String(err),
    JSON.stringify(err),
    inspect(err, { showHidden: true, depth: Infinity }),
    inspect(err, { depth: Infinity }),
  ];
}

/** `e` is a NucleusError and no rendering of it contains `key` or `base64(key + ':')`. */
export function expectNoKey(e: unknown, key: string, label: string): void {
  expect(isNucleusError(e), `${label}: ${String(e)}`).to.equal(true);
  const token = base64Utf8(`${key}:`);
  for (const text of renderings(e)) {
    expect(text, label).not.to.contain(key);
    expect(text, label).not.to.contain(token);
  }
}
