/**
 * Credentials: the API key (sent as HTTP Basic, key as user name, empty password) or a limited
 * access key (sent as `x-limited-access-key`), never both. The key lives in an ES `#private` field,
 * invisible to `JSON.stringify`, `util.inspect` and enumeration.
 */
import { ConfigurationError } from '../errors.js';

/** Which header carries the key. */
export type AuthScheme = 'basic' | 'limited-access-key';

/**
 * Base64 of a string's UTF-8 bytes, without `Buffer` (so it runs in browsers): `btoa` alone throws
 * on characters above U+00FF.
 *
 * @example
 * ```ts
 * base64Utf8('key:'); // 'a2V5Og=='
 * ```
 */
export function base64Utf8(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

const REDACTED = '***';

export class Credentials {
  readonly scheme: AuthScheme;
  /** The authentication header (name to value), and the texts to redact: the key, its Basic token. */
  readonly #secret: { readonly header: Readonly<Record<string, string>>; readonly texts: readonly string[] };

  /**
   * @throws ConfigurationError when both keys, or neither, are given.
   *
   * @example
   * ```ts
   * const c = Credentials.of({ apiKey: 'live_...' });
   * c.headers(); // { authorization: 'Basic ...' }
   * ```
   */
  static of(keys: { apiKey?: string | undefined; limitedAccessKey?: string | undefined }): Credentials {
    const apiKey = nonEmpty(keys.apiKey);
    const limited = nonEmpty(keys.limitedAccessKey);
    if (apiKey !== undefined && limited !== undefined) {
      throw new ConfigurationError('Give either apiKey or limitedAccessKey, not both');
    }
    if (apiKey !== undefined) return new Credentials('basic', apiKey);
    if (limited !== undefined) {
      // It travels as a header value: fetch would reject anything else on every attempt.
      if (!/^[\x21-\x7e]+$/.test(limited)) {
        throw new ConfigurationError('limitedAccessKey must be printable ASCII without spaces');
      }
      return new Credentials('limited-access-key', limited);
    }
    // A key given but empty (often an unset variable) must not read as "no key given".
    const empty = keys.apiKey !== undefined ? 'apiKey' : keys.limitedAccessKey !== undefined ? 'limitedAccessKey' : undefined;
    throw new ConfigurationError(
      empty ? `${empty} is empty: pass a key, or leave both keys undefined to use NUCLEUS_API_KEY` : 'No API key: pass apiKey (or limitedAccessKey), or set NUCLEUS_API_KEY',
    );
  }

  private constructor(scheme: AuthScheme, key: string) {
    this.scheme = scheme;
    const token = base64Utf8(`${key}:`);
    this.#secret =
      scheme === 'basic'
        ? { header: { authorization: `Basic ${token}` }, texts: [...encodings(key), token] }
        : { header: { 'x-limited-access-key': key }, texts: encodings(key) };
  }

  /** The authentication header, to send to the endpoint's origin only. */
  headers(): Record<string, string> {
    return { ...this.#secret.header };
  }

  /** Replaces every occurrence of the key (as is, JSON- or URL-encoded, or base64) in a text by `***`. */
  redact(text: string): string {
    let out = text;
    for (const s of this.#secret.texts) if (s.length > 0) out = out.split(s).join(REDACTED);
    return out;
  }

  /** Whether a text contains the key (as is, JSON- or URL-encoded, or base64). */
  leaksInto(text: string): boolean {
    return this.#secret.texts.some((s) => s.length > 0 && text.includes(s));
  }

  toJSON(): Record<string, unknown> {
    return { scheme: this.scheme, key: REDACTED };
  }

  toString(): string {
    return `Credentials(${this.scheme}, ${REDACTED})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/**
 * The key as a server may echo it: as is, inside a JSON string (`"` and `\` escaped, and every
 * character past ASCII as `\u00e9` like Python's `json.dumps`, in either case), and URL-encoded.
 */
function encodings(key: string): string[] {
  const json = JSON.stringify(key).slice(1, -1);
  const ascii = (upper: boolean): string =>
    json.replace(/[^\x20-\x7e]/g, (c) => {
      const hex = c.charCodeAt(0).toString(16).padStart(4, '0');
      return `\\u${upper ? hex.toUpperCase() : hex}`;
    });
  let url = key;
  try {
    url = encodeURIComponent(key);
  } catch {
    // A lone surrogate has no URL form.
  }
  return [...new Set([key, json, ascii(false), ascii(true), url])];
}

function nonEmpty(s: string | undefined): string | undefined {
  return typeof s === 'string' && s !== '' ? s : undefined;
}
