/**
 * The parts of io-ts the codecs use, imported from io-ts in one place: a browser bundle with
 * io-ts external then holds one `import { ... } from "io-ts"` instead of one per codec module.
 * Named re-exports rather than the namespace: property reads of a namespace that comes through
 * another module count as side effects to bundlers, which would keep every codec of a module
 * an app imports one codec of. Codecs import it as a namespace, as they would io-ts:
 *
 * @example
 * ```ts
 * import * as t from './io-ts.js';
 * const Point = t.type({ x: t.number, y: t.number });
 * ```
 */
export {
  Type,
  UnknownRecord,
  appendContext,
  array,
  boolean,
  failure,
  intersection,
  keyof,
  literal,
  null,
  number,
  partial,
  string,
  success,
  tuple,
  type,
  union,
} from 'io-ts';
export type { Mixed, OutputOf, Props, TypeOf, Validation } from 'io-ts';
