/** Small HTTP helpers of the emulator: replies as values, bounded body reading, CORS. */
import type { IncomingMessage } from 'node:http';

/** An answer not sent yet: handlers return one, so fault injection can corrupt it before it leaves. */
export interface Reply {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export function jsonReply(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(value) };
}

/** A one-line JSON error: `{"error": "..."}`. */
export function errorReply(status: number, message: string, headers: Record<string, string> = {}): Reply {
  return jsonReply(status, { error: message.replace(/[\r\n]+/g, ' ') }, headers);
}

export type BodyResult = { readonly ok: true; readonly body: Buffer } | { readonly ok: false; readonly tooLarge: true };

/**
 * Reads a request body up to `limit` bytes. Past the limit it keeps draining (so the client can read
 * the 413) but stores nothing; a client that goes on for much longer is cut off.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    const chunks: Buffer[] = [];
    let size = 0;
    let over = Number.isFinite(declared) && declared > limit;
    const hardLimit = limit * 4 + 1024 * 1024;
    let settled = false;
    const settle = (r: BodyResult): void => {
      if (!settled) {
        settled = true;
        resolve(r);
      }
    };
    if (over) {
      // Answer at once; what the client still sends is drained (or cut off past the hard limit).
      settle({ ok: false, tooLarge: true });
    }
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      if (over) {
        chunks.length = 0;
        settle({ ok: false, tooLarge: true });
        if (size > hardLimit) req.socket.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => settle(over ? { ok: false, tooLarge: true } : { ok: true, body: Buffer.concat(chunks, size) }));
    req.on('error', () => settle({ ok: false, tooLarge: true }));
    req.on('aborted', () => settle({ ok: false, tooLarge: true }));
  });
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export type JsonBody = { readonly ok: true; readonly value: Record<string, unknown> } | { readonly ok: false; readonly error: string };

/** Parses a JSON object body. An empty body is `{}`. */
export function parseJsonObject(body: Buffer): JsonBody {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return { ok: false, error: 'The request body is not valid UTF-8.' };
  }
  if (text.trim() === '') return { ok: true, value: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: 'The request body is not valid JSON.' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, error: 'The request body must be a JSON object.' };
  return { ok: true, value: value as Record<string, unknown> };
}

/** Own property lookup: a body's `__proto__` or inherited names never count as fields. */
export function field(o: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}

/** Origins allowed by default: pages served from this machine, any port. */
export const LOOPBACK_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/i;

export function corsHeaders(origin: string | undefined, allowed: readonly string[] | '*' | undefined): Record<string, string> {
  if (origin === undefined) return {};
  const ok = allowed === '*' || (allowed === undefined ? LOOPBACK_ORIGIN.test(origin) : allowed.includes(origin));
  if (!ok) return {};
  return {
    'access-control-allow-origin': allowed === '*' ? '*' : origin,
    'access-control-expose-headers': 'Retry-After, X-Request-Id, Content-Length, ETag',
    vary: 'Origin',
  };
}

export const PREFLIGHT_HEADERS: Record<string, string> = {
  'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
  'access-control-allow-headers': 'Authorization, Content-Type, X-Limited-Access-Key, X-Request-Id',
  'access-control-max-age': '600',
};
