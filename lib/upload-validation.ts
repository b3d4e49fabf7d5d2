/**
 * Client-side checks of an asynchronous upload, run before anything is sent: the list is not
 * empty, every entry decodes, ids are unique, and every URL is remote (the server fetches them;
 * it cannot read the caller's disk).
 */
import type * as t from 'io-ts';
import { Annotation } from './codecs/annotation.js';
import { DatasetItem } from './codecs/dataset-item.js';
import { ValidationError } from './errors.js';
import { firstFew } from './first-few.js';
import { errorPaths } from './http/decode.js';

type Issue = { readonly index?: number; readonly message: string };

/**
 * Whether a location is a remote URL (`s3://`, `gs://`, `https://`, `az://`, ...) rather than a
 * local path (`/data/a.jpg`, `./a.jpg`, `C:\a.jpg`, `file:///a.jpg`).
 *
 * @example
 * ```ts
 * isRemoteUrl('s3://bucket/a.jpg'); // true
 * isRemoteUrl('/home/me/a.jpg');    // false
 * ```
 */
export function isRemoteUrl(location: string): boolean {
  // Two or more scheme characters: a one-letter "scheme" is a Windows drive letter.
  const m = /^([a-z][a-z0-9+.-]+):\/\/[^/]/i.exec(location);
  return m !== null && m[1]!.toLowerCase() !== 'file';
}

/**
 * Decodes and checks dataset items for an asynchronous append.
 *
 * @throws ValidationError listing every problem (with the index of the offending item).
 */
export function validateItems(items: readonly unknown[]): DatasetItem[] {
  const decoded = decodeAll(items, DatasetItem, 'item');
  const issues: Issue[] = [];
  const seen = new Map<string, number>();
  decoded.forEach((item, index) => {
    const first = seen.get(item.reference_id);
    if (first !== undefined) issues.push({ index, message: `item ${index} repeats reference_id "${item.reference_id}" of item ${first}` });
    else seen.set(item.reference_id, index);
    if (!isRemoteUrl(item.image_url)) {
      issues.push({ index, message: `item ${index} has a local image_url: asynchronous uploads need remote URLs (s3://, gs://, https://)` });
    }
  });
  throwIfAny(issues, 'dataset items');
  return decoded;
}

/**
 * Decodes and checks annotations for an asynchronous annotate: `(reference_id, annotation_id)`
 * pairs are unique, segmentation masks are remote URLs.
 *
 * @throws ValidationError listing every problem (with the index of the offending annotation).
 */
export function validateAnnotations(annotations: readonly unknown[]): Annotation[] {
  const decoded = decodeAll(annotations, Annotation, 'annotation');
  const issues: Issue[] = [];
  const seen = new Map<string, number>();
  decoded.forEach((a, index) => {
    if (a.annotation_id !== undefined) {
      const key = JSON.stringify([a.reference_id, a.annotation_id]);
      const first = seen.get(key);
      if (first !== undefined) {
        issues.push({
          index,
          message: `annotation ${index} repeats (reference_id "${a.reference_id}", annotation_id "${a.annotation_id}") of annotation ${first}`,
        });
      } else seen.set(key, index);
    }
    if ('mask_url' in a && !isRemoteUrl(a.mask_url)) {
      issues.push({ index, message: `annotation ${index} has a local mask_url: asynchronous uploads need remote URLs` });
    }
  });
  throwIfAny(issues, 'annotations');
  return decoded;
}

function decodeAll<A>(inputs: readonly unknown[], codec: t.Decoder<unknown, A>, what: string): A[] {
  if (!Array.isArray(inputs) || inputs.length === 0) {
    throw new ValidationError(`Nothing to upload: the list of ${what}s is empty`, [{ message: `no ${what}s` }]);
  }
  const issues: Issue[] = [];
  const out: A[] = [];
  inputs.forEach((input, index) => {
    const result = codec.decode(input);
    if (result._tag === 'Right') out.push(result.right);
    else issues.push({ index, message: `${what} ${index} is malformed at ${errorPaths(result.left).join(', ')}` });
  });
  throwIfAny(issues, `${what}s`);
  return out;
}

function throwIfAny(issues: readonly Issue[], what: string): void {
  if (issues.length === 0) return;
  throw new ValidationError(`Invalid ${what}: ${firstFew(issues.map((i) => i.message), '; ')}`, issues);
}
