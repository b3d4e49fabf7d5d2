/**
 * Request ids for asynchronous uploads: a fresh UUID v4 as 32 hex digits, like Python's
 * `uuid.uuid4().hex`, from the Web Crypto API (`crypto.getRandomValues`, in browsers and Node 20).
 */

/**
 * @example
 * ```ts
 * newRequestId(); // e.g. '3f2b8c1e9a4d4f6b8e2a7c5d1b0e9f3a'
 * ```
 */
export function newRequestId(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex;
}
