/**
 * Dataset items: one NDJSON line of an asynchronous `append`.
 *
 * ```json
 * { "reference_id": "img_1", "image_url": "s3://bucket/img_1.jpg", "metadata": { "camera": "front" }, "width": 640, "height": 480 }
 * ```
 * `reference_id` may arrive as `ref_id`. Fields unknown here are kept and sent as they are.
 */
import * as t from './io-ts.js';
import { tolerateRefId } from './reference-id.js';

const DatasetItemFields = /*#__PURE__*/ t.intersection([
  /*#__PURE__*/ t.type({
    /** Your id of the item, unique within the dataset. */
    reference_id: t.string,
    /** A remote URL (`s3://`, `gs://`, `https://`, ...): async uploads cannot read local files. */
    image_url: t.string,
  }),
  /*#__PURE__*/ t.partial({
    metadata: t.UnknownRecord,
    width: t.number,
    height: t.number,
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
