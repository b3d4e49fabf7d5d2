/**
 * The asynchronous upload protocol shared by `append` and `annotate`: signed URL, NDJSON PUT, then
 * the POST that starts the job, all under one request id.
 */
import type { Observable } from 'rxjs';
import { concatMap, defer } from './rx.js';
import { JobInfo } from './codecs/job.js';
import { SignedUrl } from './codecs/dataset.js';
import { type Transport, route } from './http/transport.js';
import { newRequestId } from './request-id.js';

export interface AsyncUpload {
  readonly datasetId: string;
  /** `append` for dataset items, `annotate` for annotations. */
  readonly operation: 'append' | 'annotate';
  /**
   * Validates the input and returns the lines to upload; called on subscribe, so a
   * `ValidationError` is emitted before anything is sent.
   */
  readonly lines: () => readonly unknown[];
  readonly update: boolean;
  /** Injectable for tests; default {@link newRequestId}. */
  readonly requestId?: () => string;
}

/**
 * A cold Observable that, on each subscription, validates, then
 * 1. `GET dataset/{id}/signedUrl/{requestId}`,
 * 2. `PUT`s the lines as NDJSON to the signed URL,
 * 3. `POST dataset/{id}/{operation}?async=1` with `{ requestId, update }`,
 * and emits the started job's info. Each step retries its own transient failures; the POST is
 * retried with the same `requestId`, which the server de-duplicates, so a retry never starts a
 * second job. A new subscription is a new upload (a new request id).
 *
 * @example
 * ```ts
 * asyncUpload$(transport, { datasetId: 'ds_1', operation: 'append', lines: () => validateItems(items), update: false })
 *   .subscribe((info) => console.log(info.jobId));
 * ```
 */
export function asyncUpload$(transport: Transport, upload: AsyncUpload): Observable<JobInfo> {
  return defer(() => {
    const lines = upload.lines();
    const requestId = (upload.requestId ?? newRequestId)();
    const ndjson = lines.map((line) => JSON.stringify(line)).join('\n');
    return transport
      .request$({
        method: 'GET',
        route: route('dataset', upload.datasetId, 'signedUrl', requestId),
        codec: SignedUrl,
        retry: 'idempotent',
      })
      .pipe(
        concatMap(({ signed_url }) => transport.upload$(signed_url, ndjson, 'application/x-ndjson')),
        concatMap(() =>
          transport.request$({
            method: 'POST',
            route: route('dataset', upload.datasetId, upload.operation),
            query: { async: '1' },
            body: { requestId, update: upload.update },
            codec: JobInfo,
            retry: 'idempotent',
          }),
        ),
      );
  });
}
