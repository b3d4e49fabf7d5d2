/**
 * The asynchronous upload protocol shared by `append` and `annotate`: signed URL, NDJSON PUT, then
 * the POST that starts the job, all under one request id.
 */
import type { Observable } from 'rxjs';
import { concatMap, defer, map } from './rx.js';
import { JobInfo } from './codecs/job.js';
import { SignedUrl } from './codecs/dataset.js';
import type { DatasetContext, UploadOptions } from './dataset.js';
import { ValidationError } from './errors.js';
import { route } from './http/transport.js';
import type { ClientJob } from './nucleus-client.js';
import { newRequestId } from './request-id.js';

/**
 * A cold Observable that, on each subscription, checks `options` and `validate`s the input into
 * NDJSON, so that a `ValidationError` is emitted before anything is sent; then
 * 1. `GET dataset/{id}/signedUrl/{requestId}`,
 * 2. `PUT`s the NDJSON body to the signed URL,
 * 3. `POST dataset/{id}/{operation}?async=1` with `{ requestId, update }`,
 * and emits the started job. Each step retries its own transient failures; the POST is
 * retried with the same `requestId`, which the server de-duplicates, so a retry never starts a
 * second job. A new subscription is a new upload (a new request id).
 *
 * @example
 * ```ts
 * asyncUpload$(context, 'ds_1', 'append', validateItems, items, { asynchronous: true })
 *   .subscribe((job) => console.log(job.jobId));
 * ```
 */
export function asyncUpload$(
  { transport, toJob }: DatasetContext,
  datasetId: string,
  /** `append` for dataset items, `annotate` for annotations. */
  operation: 'append' | 'annotate',
  /** Checks the input and returns its NDJSON (a `ValidationError` otherwise): `validateItems`, `validateAnnotations`. */
  validate: (input: readonly unknown[]) => string,
  input: readonly unknown[],
  options: UploadOptions,
): Observable<ClientJob> {
  return defer(() => {
    // Defaults for `undefined` only: `update: null` is as wrong as `update: 'yes'`.
    const { asynchronous, update = false }: Partial<UploadOptions> = options ?? {};
    if (asynchronous !== true) throw new ValidationError(`${operation} supports asynchronous uploads only: pass { asynchronous: true }`);
    // `update !== !!update`: not a boolean (shorter once bundled than a typeof test).
    if (update !== !!update) throw new ValidationError(`${operation}: update must be true or false`);
    const ndjson = validate(input);
    const requestId = newRequestId();
    return transport
      .request$({
        method: 'GET',
        route: route('dataset', datasetId, 'signedUrl', requestId),
        codec: SignedUrl,
        retry: 'idempotent',
      })
      .pipe(
        concatMap(({ signed_url }) => transport.upload$(signed_url, ndjson, 'application/x-ndjson')),
        concatMap(() =>
          transport.request$({
            method: 'POST',
            route: route('dataset', datasetId, operation),
            query: { async: '1' },
            body: { requestId, update },
            codec: JobInfo,
            retry: 'idempotent',
          }),
        ),
        map(toJob),
      );
  });
}
