/**
 * Client-side checks of an asynchronous upload, run before anything is sent: the list is a
 * non-empty array, every entry decodes and serialises as JSON, ids are unique, and every URL is
 * remote (the server fetches them; it cannot read the caller's disk).
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
 * Decodes and checks dataset items for an asynchronous append (unique `reference_id`s, remote
 * `image_url`s); returns the NDJSON body to upload.
 *
 * @throws ValidationError listing every problem (with the index of the offending item).
 */
export function validateItems(items: readonly unknown[]): string {
  // JSON quoting: two different ids (or pairs, below) never read, nor key, the same.
  return validate(items, DatasetItem, 'item', 'image_url', (item) => `reference_id ${JSON.stringify(item.reference_id)}`);
}

/**
 * Decodes and checks annotations for an asynchronous annotate (unique `(reference_id,
 * annotation_id)` pairs, remote `mask_url`s); returns the NDJSON body to upload.
 *
 * @throws ValidationError listing every problem (with the index of the offending annotation).
 */
export function validateAnnotations(annotations: readonly unknown[]): string {
  return validate(annotations, Annotation, 'annotation', 'mask_url', (a) =>
    a.annotation_id === undefined ? undefined : `(reference_id ${JSON.stringify(a.reference_id)}, annotation_id ${JSON.stringify(a.annotation_id)})`,
  );
}

/**
 * Checks every entry (it decodes, its `key` is not repeated, its URL `field` is remote, it
 * serialises as JSON) and returns the NDJSON lines. Serialising is a check too: a BigInt, a cycle
 * or a throwing `toJSON` is reported by index like any other problem, before anything is sent.
 */
function validate<A>(
  inputs: readonly unknown[],
  codec: t.Decoder<unknown, A>,
  what: string,
  field: string,
  key: (entry: A) => string | undefined,
): string {
  if (!Array.isArray(inputs) || !inputs.length) {
    const array = Array.isArray(inputs);
    throw new ValidationError(array ? `Nothing to upload: the list of ${what}s is empty` : `The ${what}s must be an array`, [
      { message: array ? `no ${what}s` : 'not an array' },
    ]);
  }
  const issues: Issue[] = [];
  const seen = new Map<string, number>();
  const lines = inputs.map((input, index) => {
    const issue = (message: string) => issues.push({ index, message: `${what} ${index} ${message}` });
    const result = codec.decode(input);
    if (result._tag === 'Left') return issue(`is malformed at ${errorPaths(result.left).join(', ')}`);
    const entry = result.right;
    const k = key(entry);
    if (k !== undefined) {
      if (seen.has(k)) issue(`repeats ${k} of ${what} ${seen.get(k)}`);
      else seen.set(k, index);
    }
    if (field in (entry as object) && !isRemoteUrl((entry as Record<string, string>)[field]!)) issue(`has a local ${field}: asynchronous uploads need remote URLs (s3://, gs://, https://)`);
    try {
      // `undefined` for a `toJSON` that returns nothing: it would go out as an empty line.
      return JSON.stringify(entry) ?? issue('cannot be serialised as JSON');
    } catch {
      // The error's message (perhaps a value of the entry) is not kept.
      return issue('cannot be serialised as JSON');
    }
  });
  if (issues.length > 0) throw new ValidationError(`Invalid ${what}s: ${firstFew(issues.map((i) => i.message), '; ')}`, issues);
  return lines.join('\n');
}
