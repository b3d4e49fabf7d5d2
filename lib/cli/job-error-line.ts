/**
 * Reading the strings of `GET job/{id}/errors`. Each is usually JSON, e.g.
 * `{"annotation":{...,"referenceId":"bad_ref_id",...},"error":"Item with id bad_ref_id doesn't exist."}`,
 * sometimes with doubled escapes (`\\n`, `\\"`), sometimes plain text.
 */

export interface JobErrorLine {
  /** The error's text: the record's `error` field, or the whole string when it is not JSON. */
  readonly error: string;
  /** The reference id of the item the failed record named, when it names one. */
  readonly referenceId: string | undefined;
  /** The string as the server sent it. */
  readonly raw: string;
}

/**
 * The error text and the reference id of one job error string. Total: any string gives a result.
 *
 * @example
 * parseJobErrorLine('{"annotation":{"referenceId":"img_9"},"error":"Item with id img_9 doesn\'t exist."}')
 * // { error: "Item with id img_9 doesn't exist.", referenceId: 'img_9', raw: '...' }
 */
export function parseJobErrorLine(raw: string): JobErrorLine {
  const record = parseRecord(raw) ?? parseRecord(unescapeDoubled(raw));
  if (record === undefined) return { error: raw, referenceId: undefined, raw };
  const error = typeof record['error'] === 'string' ? record['error'] : raw;
  return { error, referenceId: findReferenceId(record), raw };
}

function parseRecord(s: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(s);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

// The Python client unescapes `\\n`, `\\t`, `\\"` before reading error strings; so do we.
function unescapeDoubled(s: string): string {
  return s.replace(/\\\\n/g, '\\n').replace(/\\\\t/g, '\\t').replace(/\\\\"/g, '\\"');
}

// The record names its item as `referenceId` (camelCase inside error records) or `reference_id`,
// at the top level or inside the annotation / item / prediction it carries.
function findReferenceId(record: Record<string, unknown>): string | undefined {
  const candidates = [record, ...['annotation', 'item', 'prediction', 'datasetItem'].map((k) => record[k])];
  for (const c of candidates) {
    if (typeof c !== 'object' || c === null) continue;
    const o = c as Record<string, unknown>;
    const id = o['referenceId'] ?? o['reference_id'];
    if (typeof id === 'string') return id;
  }
  return undefined;
}
