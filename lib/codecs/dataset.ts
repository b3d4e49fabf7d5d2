/**
 * Answers of the dataset requests: `POST dataset/create` and `GET dataset/{id}/signedUrl/{requestId}`.
 */
import * as t from './io-ts.js';

/** `POST dataset/create` answers `{ "dataset_id": "ds_..." }` (other fields, e.g. `name`, are ignored). */
export const DatasetCreated = /*#__PURE__*/ t.type({ dataset_id: t.string });
export type DatasetCreated = t.TypeOf<typeof DatasetCreated>;

/** `GET dataset/{id}/signedUrl/{requestId}` answers `{ "signed_url": "..." }`. */
export const SignedUrl = /*#__PURE__*/ t.type({ signed_url: t.string });
export type SignedUrl = t.TypeOf<typeof SignedUrl>;
