/**
 * JobErrorRecord: one line of `GET job/{id}/errors`, typed.
 *
 * The endpoint answers an array of strings, usually each a JSON document such as
 * `{"annotation":{...,"referenceId":"bad_ref_id","annotationId":"a1"},"error":"Item with id bad_ref_id doesn't exist."}`
 * (camelCase inside error records), sometimes with doubled escapes (`\\n`, `\\t`, `\\"`) that the
 * Python client undoes. A line that is not JSON is kept as text.
 */
import { isPlainObject } from './plain-object.js';

/** One error line of a job. */
export interface JobErrorRecord {
  /** The line exactly as the server sent it. */
  readonly raw: string;
  /** The line with doubled escapes undone, as the Python client's `errors()` returns it. */
  readonly text: string;
  /** The line parsed, when it is a JSON object (after undoing doubled escapes if needed). */
  readonly parsed: Readonly<Record<string, unknown>> | undefined;
  /** The human-readable error: the record's `error` (or `message`) field, else the text. */
  readonly message: string;
  /** The reference id of the item the error is about, when the record names one. */
  readonly referenceId?: string;
  /** The annotation id the error is about, when the record names one. */
  readonly annotationId?: string;
}

// The Python client's `replace_double_slashes`: `\\n`, `\\t` and `\\"` become newline, tab, quote.
const PYTHON_REPLACEMENTS: readonly (readonly [string, string])[] = [
  ['\\\\n', '\n'],
  ['\\\\t', '\t'],
  ['\\\\"', '"'],
];

/** Undoes doubled escapes exactly as the Python client does. */
export function undoDoubledEscapes(s: string): string {
  let out = s;
  for (const [from, to] of PYTHON_REPLACEMENTS) out = out.split(from).join(to);
  return out;
}

function tryParseObject(s: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(s);
    return isPlainObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function parseLine(raw: string, text: string): Record<string, unknown> | undefined {
  if (!/^\s*\{/.test(raw)) return undefined;
  // As sent; then with doubled JSON escapes collapsed (`\\"` -> `\"`), which keeps escaped quotes
  // inside strings valid; then the Python client's replacement as a last resort.
  return (
    tryParseObject(raw) ??
    tryParseObject(raw.replace(/\\\\(["\\/bfnrtu])/g, '\\$1')) ??
    (text !== raw ? tryParseObject(text) : undefined)
  );
}

function stringField(o: Record<string, unknown>, ...keys: string[]): string | undefined {
  for (const k of keys) {
    const v = o[k];
    if (typeof v === 'string' && v !== '') return v;
  }
  return undefined;
}

// The record itself or one of its nested objects (`annotation`, `item`, `prediction`, ...) names
// the item: look one level deep, the record first.
function findId(o: Record<string, unknown>, camel: string, snake: string): string | undefined {
  const own = stringField(o, camel, snake);
  if (own !== undefined) return own;
  for (const v of Object.values(o)) {
    if (isPlainObject(v)) {
      const nested = stringField(v, camel, snake);
      if (nested !== undefined) return nested;
    }
  }
  return undefined;
}

/**
 * Types one error line.
 *
 * @example
 * ```ts
 * const r = parseJobErrorLine('{"annotation":{"referenceId":"bad_ref_id"},"error":"Item with id bad_ref_id doesn\'t exist."}');
 * r.referenceId; // 'bad_ref_id'
 * r.message;     // "Item with id bad_ref_id doesn't exist."
 * ```
 */
export function parseJobErrorLine(raw: string): JobErrorRecord {
  const text = undoDoubledEscapes(raw);
  const parsed = parseLine(raw, text);
  if (parsed === undefined) return Object.freeze({ raw, text, parsed: undefined, message: text });
  const message = stringField(parsed, 'error', 'message', 'detail') ?? text;
  const referenceId = findId(parsed, 'referenceId', 'reference_id');
  const annotationId = findId(parsed, 'annotationId', 'annotation_id');
  return Object.freeze({
    raw,
    text,
    parsed,
    message,
    ...(referenceId !== undefined ? { referenceId } : {}),
    ...(annotationId !== undefined ? { annotationId } : {}),
  });
}
