/**
 * Dataset items: one NDJSON line of an asynchronous `append`.
 *
 * ```json
 * { "reference_id": "img_1", "image_url": "s3://bucket/img_1.jpg", "metadata": { "camera": "front" }, "width": 640, "height": 480 }
 * ```
 * `reference_id` may arrive as `ref_id`. `width` and `height`, when given, are positive finite
 * numbers (pixels). Fields unknown here are kept and sent as they are.
 */
import * as t from './io-ts.js';
import { tolerateRefId } from './reference-id.js';

/** A positive finite number: NaN and Infinity would go out as `null`, 0 is no image size. */
const isSize = (u: unknown): u is number => typeof u === 'number' && Number.isFinite(u) && u > 0;
const Size = /*#__PURE__*/ new t.Type<number, number, unknown>('PositiveNumber', isSize, (u, c) => (isSize(u) ? t.success(u) : t.failure(u, c)), (a) => a);

const DatasetItemFields = /*#__PURE__*/ t.intersection([
  /*#__PURE__*/ t.type({
    /** Your id of the item, unique within the dataset. */
    reference_id: t.string,
    /** A remote URL (`s3://`, `gs://`, `https://`, ...): async uploads cannot read local files. */
    image_url: t.string,
  }),
  /*#__PURE__*/ t.partial({
    metadata: t.UnknownRecord,
    width: Size,
    height: Size,
  }),
]);

/**
 * A dataset item, as sent.
 *
 * @example
 * ```ts
 * const item: DatasetItem = { reference_id: 'img_1', image_url: 's3://bucket/img_1.jpg', metadata: {} };
 * ```
 */
export const DatasetItem = /*#__PURE__*/ tolerateRefId(DatasetItemFields, 'DatasetItem');
export type DatasetItem = t.TypeOf<typeof DatasetItem>;
