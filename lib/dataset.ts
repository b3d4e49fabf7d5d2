/**
 * A handle on one Nucleus dataset: `client.dataset(id)` or what `client.createDataset` emits.
 * It holds the dataset's id (and name, when known) and uploads to it; it sends nothing until one of
 * its observables is subscribed.
 */
import type { Observable } from 'rxjs';
import type { Annotation } from './codecs/annotation.js';
import type { DatasetItem } from './codecs/dataset-item.js';
import type { JobInfo } from './codecs/job.js';
import { asyncUpload$ } from './async-upload.js';
import type { Transport } from './http/transport.js';
import type { ClientJob } from './nucleus-client.js';
import { validateAnnotations, validateItems } from './upload-validation.js';

/** Options of `append` and `annotate`. Only asynchronous uploads are supported. */
export interface UploadOptions {
  /** Must be `true`: the upload runs as a server-side job. */
  readonly asynchronous: true;
  /** Whether items/annotations already present (same ids) are overwritten: `true` or `false` (the default). */
  readonly update?: boolean;
}

/** What a Dataset needs from its client. @internal */
export interface DatasetContext {
  readonly transport: Transport;
  readonly toJob: (info: JobInfo) => ClientJob;
}

export class Dataset {
  readonly id: string;
  /** Known when the handle comes from `createDataset`. */
  readonly name: string | undefined;
  readonly #context: DatasetContext;

  /** @internal Use `client.dataset(id)`. */
  constructor(id: string, context: DatasetContext, name?: string) {
    this.id = id;
    this.name = name;
    this.#context = context;
  }

  /**
   * Uploads dataset items as an asynchronous job. Cold: each subscription validates the options
   * and the items (a non-empty array, well-formed, serialisable as JSON, unique `reference_id`s,
   * remote `image_url`s: a `ValidationError` before anything is sent), uploads them and emits the
   * started job once.
   *
   * @example
   * ```ts
   * client.dataset('ds_123')
   *   .append([{ reference_id: 'img_1', image_url: 's3://bucket/img_1.jpg' }], { asynchronous: true })
   *   .subscribe((job) => console.log(job.jobId));
   * ```
   */
  append(items: readonly DatasetItem[], options: UploadOptions): Observable<ClientJob> {
    return asyncUpload$(this.#context, this.id, 'append', validateItems, items, options);
  }

  /**
   * Uploads annotations as an asynchronous job. Cold: each subscription validates the options and
   * the annotations (a non-empty array, well-formed, serialisable as JSON, unique
   * `(reference_id, annotation_id)`, remote `mask_url`s), uploads them and emits the started job
   * once. Annotations naming unknown items are reported by the job's errors.
   *
   * @example
   * ```ts
   * dataset.annotate([{ type: 'box', label: 'car', reference_id: 'img_1', annotation_id: 'a1',
   *   geometry: { x: 50, y: 60, width: 70, height: 80 } }], { asynchronous: true, update: true });
   * ```
   */
  annotate(annotations: readonly Annotation[], options: UploadOptions): Observable<ClientJob> {
    return asyncUpload$(this.#context, this.id, 'annotate', validateAnnotations, annotations, options);
  }

  toJSON(): { id: string; name: string | undefined } {
    return { id: this.id, name: this.name };
  }
}
