/**
 * Numbers as the Nucleus API sends them: JSON numbers or numeric strings ("0.33", "1").
 * `null` and the empty string decode to `undefined` ("not known yet").
 */
import * as t from './io-ts.js';

const NUMERIC_STRING = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

export const Numeric = /*#__PURE__*/ new t.Type<number | undefined, number | undefined, unknown>(
  'Numeric',
  (u): u is number | undefined => u === undefined || (typeof u === 'number' && Number.isFinite(u)),
  (u, c) => {
    if (u === undefined || u === null || u === '') return t.success(undefined);
    if (typeof u === 'number') return Number.isFinite(u) ? t.success(u) : t.failure(u, c, 'not a finite number');
    if (typeof u === 'string' && NUMERIC_STRING.test(u)) {
      const n = Number(u);
      return Number.isFinite(n) ? t.success(n) : t.failure(u, c, 'not a finite number');
    }
    return t.failure(u, c, 'expected a number or a numeric string');
  },
  (a) => a,
);
