/**
 * `ref_id` tolerance: some Nucleus payloads (and older clients) spell `reference_id` as `ref_id`.
 * Wrapping a codec with {@link tolerateRefId} accepts either spelling and always yields
 * `reference_id`.
 */
import * as t from './io-ts.js';
import { isPlainObject } from '../plain-object.js';

/**
 * Accepts `ref_id` in place of `reference_id` (both are fine if they agree), then decodes with
 * `codec`. The decoded value carries `reference_id` only; other unknown fields are kept.
 *
 * @example
 * ```ts
 * const Item = tolerateRefId(t.type({ reference_id: t.string }), 'Item');
 * Item.decode({ ref_id: 'img_1' }); // right({ reference_id: 'img_1' })
 * ```
 */
export function tolerateRefId<C extends t.Mixed>(codec: C, name: string): t.Type<t.TypeOf<C>, t.OutputOf<C>, unknown> {
  return new t.Type<t.TypeOf<C>, t.OutputOf<C>, unknown>(
    name,
    (u): u is t.TypeOf<C> => codec.is(u),
    (u, c) => {
      if (!isPlainObject(u) || !('ref_id' in u)) return codec.validate(u, c);
      const { ref_id: refId, ...rest } = u as Record<string, unknown>;
      if ('reference_id' in rest && rest['reference_id'] !== refId) {
        return t.failure(refId, t.appendContext(c, 'ref_id', t.string, refId), 'ref_id and reference_id disagree');
      }
      return codec.validate({ ...rest, reference_id: refId }, c);
    },
    (a) => codec.encode(a),
  );
}
