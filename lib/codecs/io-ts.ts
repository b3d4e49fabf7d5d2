/**
 * io-ts for the codecs, imported in one place: a browser bundle with io-ts external then holds
 * one `import * as t from "io-ts"` instead of one per codec module.
 *
 * @example
 * ```ts
 * import { t } from './io-ts.js';
 * const Point = t.type({ x: t.number, y: t.number });
 * ```
 */
import * as t from 'io-ts';

export { t };
