/**
 * Validation of the NDJSON lines of an asynchronous upload (dataset items and annotations) and the
 * error records the job engine keeps for the lines it rejects.
 *
 * Error records follow the format of the Nucleus guide exactly: the offending object with camelCase
 * keys, then the message, e.g.
 * `{"annotation":{"label":"car","type":"box","geometry":{"x":50,"y":60,"width":70,"height":80},"referenceId":"bad_ref_id","annotationId":"attempted_annot_upload","metadata":{}},"error":"Item with id bad_ref_id doesn't exist."}`.
 *
 * Every object built from user input goes through {@link setOwn}, so a key named `__proto__` stays an
 * ordinary own property and never touches a prototype.
 */

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

/** A validated dataset item line. */
export interface ItemLine {
  readonly referenceId: string;
  readonly imageUrl: string;
  /** The line as uploaded (parsed): what the dataset stores. */
  readonly raw: JsonObject;
}

/** A validated annotation line. */
export interface AnnotationLine {
  readonly referenceId: string;
  /** `undefined` when the line had none: the emulator then never deduplicates it. */
  readonly annotationId: string | undefined;
  readonly type: AnnotationType;
  readonly raw: JsonObject;
}

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export const ANNOTATION_TYPES = ['box', 'line', 'polygon', 'category', 'multicategory', 'cuboid', 'segmentation', 'keypoints'] as const;
export type AnnotationType = (typeof ANNOTATION_TYPES)[number];

/** Error records larger than this lose their geometry and metadata (the error list is kept in memory). */
const MAX_RECORD_CHARS = 8 * 1024;

// ---------------------------------------------------------------------------------------------
// utils
// ---------------------------------------------------------------------------------------------

/** Defines an own enumerable property, whatever the key (`__proto__` included). */
export function setOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export function isObject(u: unknown): u is JsonObject {
  return typeof u === 'object' && u !== null && !Array.isArray(u);
}

function own(o: JsonObject, k: string): Json | undefined {
  return Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined;
}

const isFiniteNumber = (u: unknown): u is number => typeof u === 'number' && Number.isFinite(u);
const isNonEmptyString = (u: unknown): u is string => typeof u === 'string' && u.length > 0;

/**
 * `s3://`, `gs://`, `http(s)://`, `az://`... with a host: anything but a local path or `file://`.
 * As in the client's `isRemoteUrl`, a one-letter scheme is a Windows drive letter (`c://x`), not a URL.
 */
export function isRemoteUrl(u: unknown): u is string {
  return typeof u === 'string' && /^(?!file:)[a-z][a-z0-9+.-]+:\/\/[^\s/?#]+/i.test(u);
}

const camel = (k: string): string => k.replace(/(?<=[a-z0-9])_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/** Shallow copy with snake_case keys turned camelCase, `first` keys first (in that order). */
function camelCopy(o: JsonObject, first: readonly string[]): JsonObject {
  const out: JsonObject = {};
  for (const k of first) if (Object.prototype.hasOwnProperty.call(o, k)) setOwn(out, camel(k), o[k]);
  for (const k of Object.keys(o)) if (!first.includes(k)) setOwn(out, camel(k), o[k]);
  return out;
}

const ANNOTATION_KEY_ORDER = ['label', 'labels', 'type', 'geometry', 'mask_url', 'annotations', 'reference_id', 'annotation_id', 'metadata'];
const ITEM_KEY_ORDER = ['image_url', 'reference_id', 'metadata', 'width', 'height'];
const BOX_GEOMETRY_ORDER = ['x', 'y', 'width', 'height'];

/** The annotation as the error record shows it: camelCase keys, canonical order, `metadata` defaulting to `{}`. */
function annotationForRecord(line: JsonObject): JsonObject {
  const src: JsonObject = {};
  // Optional fields the Python client sends as null (embedding_vector, track_reference_id) are not shown.
  for (const k of Object.keys(line)) if (line[k] !== null || ANNOTATION_KEY_ORDER.includes(k)) setOwn(src, k, line[k]);
  if (!Object.prototype.hasOwnProperty.call(src, 'metadata')) setOwn(src, 'metadata', {});
  const geometry = own(src, 'geometry');
  if (own(src, 'type') === 'box' && isObject(geometry)) setOwn(src, 'geometry', camelCopy(geometry, BOX_GEOMETRY_ORDER));
  return camelCopy(src, ANNOTATION_KEY_ORDER);
}

function itemForRecord(line: JsonObject): JsonObject {
  return camelCopy(line, ITEM_KEY_ORDER);
}

function boundedRecord(kind: 'annotation' | 'item', shown: JsonObject, error: string): string {
  const full = JSON.stringify({ [kind]: shown, error });
  if (full.length <= MAX_RECORD_CHARS) return full;
  const slim: JsonObject = {};
  for (const k of ['type', 'referenceId', 'annotationId', 'imageUrl']) {
    const v = own(shown, k);
    if (typeof v === 'string') setOwn(slim, k, v.slice(0, 1024));
  }
  return JSON.stringify({ [kind]: slim, error, truncated: true });
}

/** The error record of a rejected annotation line, in the guide's format. */
export function annotationError(line: JsonObject, error: string): string {
  return boundedRecord('annotation', annotationForRecord(line), error);
}

/** The error record of a rejected dataset item line: `{"item":{...camelCase...},"error":"..."}`. */
export function itemError(line: JsonObject, error: string): string {
  return boundedRecord('item', itemForRecord(line), error);
}

/** The error record of a line that is not a JSON object at all (1-based line number). */
export function lineError(lineNumber: number, error: string): string {
  return JSON.stringify({ line: lineNumber, error });
}

// ---------------------------------------------------------------------------------------------
// items
// ---------------------------------------------------------------------------------------------

/** Checks one dataset item line: `reference_id` required, `image_url` a remote URL, optional `metadata`, `width`, `height`. */
export function checkItem(line: JsonObject): Checked<ItemLine> {
  const referenceId = own(line, 'reference_id');
  if (!isNonEmptyString(referenceId)) return { ok: false, error: 'reference_id is required and must be a non-empty string.' };
  const imageUrl = own(line, 'image_url');
  if (imageUrl === undefined) return { ok: false, error: 'image_url is required.' };
  if (!isRemoteUrl(imageUrl)) {
    return { ok: false, error: 'image_url must be a remote URL (s3://, gs://, https://, ...): asynchronous uploads cannot read local files.' };
  }
  const metadata = own(line, 'metadata');
  if (metadata !== undefined && metadata !== null && !isObject(metadata)) return { ok: false, error: 'metadata must be an object.' };
  for (const k of ['width', 'height']) {
    const v = own(line, k);
    if (v !== undefined && v !== null && !(isFiniteNumber(v) && v > 0)) return { ok: false, error: `${k} must be a positive number.` };
  }
  return { ok: true, value: { referenceId, imageUrl, raw: line } };
}

// ---------------------------------------------------------------------------------------------
// annotations
// ---------------------------------------------------------------------------------------------

const isPoint2 = (u: unknown): boolean => isObject(u) && isFiniteNumber(own(u, 'x')) && isFiniteNumber(own(u, 'y'));
const isPoint3 = (u: unknown): boolean => isPoint2(u) && isFiniteNumber(own(u as JsonObject, 'z'));

function checkVertices(geometry: JsonObject, min: number, type: string): string | undefined {
  const vertices = own(geometry, 'vertices');
  if (!Array.isArray(vertices) || vertices.length < min || !vertices.every(isPoint2)) {
    return `${type} geometry.vertices must be a list of at least ${min} {x, y} points.`;
  }
  return undefined;
}

function checkGeometry(type: AnnotationType, line: JsonObject): string | undefined {
  const geometry = own(line, 'geometry');
  switch (type) {
    case 'box': {
      if (!isObject(geometry)) return 'box annotations need a geometry {x, y, width, height}.';
      for (const k of BOX_GEOMETRY_ORDER) if (!isFiniteNumber(own(geometry, k))) return `box geometry.${k} must be a number.`;
      if ((own(geometry, 'width') as number) < 0 || (own(geometry, 'height') as number) < 0) return 'box width and height must be >= 0.';
      return undefined;
    }
    case 'line':
      return isObject(geometry) ? checkVertices(geometry, 2, 'line') : 'line annotations need geometry.vertices.';
    case 'polygon':
      return isObject(geometry) ? checkVertices(geometry, 3, 'polygon') : 'polygon annotations need geometry.vertices.';
    case 'category':
    case 'multicategory':
      return geometry === undefined || isObject(geometry) ? undefined : 'geometry must be an object ({}) for category annotations.';
    case 'cuboid': {
      if (!isObject(geometry)) return 'cuboid annotations need geometry {position, dimensions, yaw}.';
      if (!isPoint3(own(geometry, 'position'))) return 'cuboid geometry.position must be {x, y, z}.';
      if (!isPoint3(own(geometry, 'dimensions'))) return 'cuboid geometry.dimensions must be {x, y, z}.';
      if (!isFiniteNumber(own(geometry, 'yaw'))) return 'cuboid geometry.yaw must be a number.';
      return undefined;
    }
    case 'segmentation': {
      if (!isRemoteUrl(own(line, 'mask_url'))) return 'segmentation mask_url must be a remote URL.';
      const segments = own(line, 'annotations');
      const valid =
        Array.isArray(segments) &&
        segments.every((s) => isObject(s) && isNonEmptyString(own(s, 'label')) && Number.isInteger(own(s, 'index')) && (own(s, 'index') as number) >= 0);
      return valid ? undefined : 'segmentation annotations must be a list of {label, index} with index an integer >= 0.';
    }
    case 'keypoints': {
      if (!isObject(geometry)) return 'keypoints annotations need geometry {keypoints, names, skeleton}.';
      const keypoints = own(geometry, 'keypoints');
      if (!Array.isArray(keypoints) || !keypoints.every((k) => isPoint2(k) && typeof own(k as JsonObject, 'visible') === 'boolean')) {
        return 'keypoints geometry.keypoints must be a list of {x, y, visible}.';
      }
      const names = own(geometry, 'names');
      if (!Array.isArray(names) || names.length !== keypoints.length || !names.every((n) => typeof n === 'string')) {
        return 'keypoints geometry.names must be a list of strings, one per keypoint.';
      }
      const skeleton = own(geometry, 'skeleton');
      const n = keypoints.length;
      const isEdge = (e: unknown): boolean =>
        Array.isArray(e) && e.length === 2 && e.every((i) => Number.isInteger(i) && (i as number) >= 0 && (i as number) < n);
      if (!Array.isArray(skeleton) || !skeleton.every(isEdge)) return 'keypoints geometry.skeleton must be a list of [i, j] keypoint index pairs.';
      return undefined;
    }
  }
}

/**
 * Checks one annotation line's shape (not whether its item exists: the engine does that against the
 * dataset). Every type of the protocol document is known.
 */
export function checkAnnotation(line: JsonObject): Checked<AnnotationLine> {
  const type = own(line, 'type');
  if (typeof type !== 'string' || !(ANNOTATION_TYPES as readonly string[]).includes(type)) {
    return { ok: false, error: `type must be one of ${ANNOTATION_TYPES.join(', ')}.` };
  }
  const t = type as AnnotationType;
  const referenceId = own(line, 'reference_id');
  if (!isNonEmptyString(referenceId)) return { ok: false, error: 'reference_id is required and must be a non-empty string.' };
  const annotationId = own(line, 'annotation_id');
  if (annotationId !== undefined && annotationId !== null && typeof annotationId !== 'string') return { ok: false, error: 'annotation_id must be a string.' };
  if (t === 'multicategory') {
    const labels = own(line, 'labels');
    if (!Array.isArray(labels) || labels.length === 0 || !labels.every(isNonEmptyString)) return { ok: false, error: 'multicategory labels must be a non-empty list of strings.' };
  } else if (t !== 'segmentation' && !isNonEmptyString(own(line, 'label'))) {
    return { ok: false, error: 'label is required and must be a non-empty string.' };
  }
  const metadata = own(line, 'metadata');
  if (metadata !== undefined && metadata !== null && !isObject(metadata)) return { ok: false, error: 'metadata must be an object.' };
  const geometryError = checkGeometry(t, line);
  if (geometryError) return { ok: false, error: geometryError };
  return { ok: true, value: { referenceId, annotationId: annotationId ?? undefined, type: t, raw: line } };
}
