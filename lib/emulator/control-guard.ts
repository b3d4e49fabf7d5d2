/**
 * Keeps web pages away from the emulator's control API (`/__emulator/`): a page the developer
 * visits must not pause the engine, force or cancel jobs, or change faults behind their back.
 *
 * A browser marks what a page sends: it adds an `Origin` header to every cross-origin request and
 * every POST/PUT/DELETE, and recent ones a `Sec-Fetch-Site` header. Node, curl, Python and the
 * CLI send neither. So a control request is refused when it comes from another origin than this
 * server's own (`http://127.0.0.1:PORT`, `http://localhost:PORT`, `http://[::1]:PORT`), and a
 * write whose body is not declared `application/json` is refused too: such a body (`text/plain`,
 * a form) is what a page can send without a CORS preflight, and preflights get no grant here.
 *
 * @example
 * ```ts
 * const refusal = controlRequestRefusal(req.method ?? 'GET', req.headers, port);
 * if (refusal) return send(refusal); // 403 or 415, `{"error": "..."}`
 * ```
 */
import type { IncomingHttpHeaders } from 'node:http';
import { errorReply, type Reply } from './http.js';

const LOOPBACK_ORIGIN = /^http:\/\/(localhost|[a-z0-9-]+\.localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])(?::(\d{1,5}))?$/i;

/** Whether `origin` is this server itself under a loopback name (the emulator speaks plain HTTP only). */
export function isOwnOrigin(origin: string, port: number): boolean {
  const m = LOOPBACK_ORIGIN.exec(origin.trim());
  return m !== null && Number(m[2] ?? '80') === port;
}

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v.join(',') : v);

/** 403 if a browser says the request comes from a page of another origin; `undefined` otherwise. */
export function foreignOriginRefusal(headers: IncomingHttpHeaders, port: number): Reply | undefined {
  const origin = one(headers.origin);
  const site = one(headers['sec-fetch-site'])?.trim().toLowerCase();
  // `same-site` is still another origin (another localhost port is the same site); `none` is the user typing the URL.
  const foreign = (origin !== undefined && !isOwnOrigin(origin, port)) || (site !== undefined && site !== 'same-origin' && site !== 'none');
  return foreign ? errorReply(403, 'Cross-origin request refused: web pages of other origins may not use the emulator control API.') : undefined;
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** 415 if a write carries a body (or a Content-Type) that is not `application/json`; `undefined` otherwise. */
export function nonJsonWriteRefusal(method: string, headers: IncomingHttpHeaders): Reply | undefined {
  if (READS.has(method)) return undefined;
  const type = headers['content-type'];
  const length = headers['content-length'];
  const hasBody = headers['transfer-encoding'] !== undefined || (length !== undefined && length.trim() !== '0');
  if (type === undefined && !hasBody) return undefined;
  const media = (type ?? '').split(';')[0]!.trim().toLowerCase();
  return media === 'application/json' ? undefined : errorReply(415, 'Control requests with a body must be sent as Content-Type: application/json.');
}

/** The refusal of a control request a web page may have forged, if any (origin first, then body type). */
export function controlRequestRefusal(method: string, headers: IncomingHttpHeaders, port: number): Reply | undefined {
  return foreignOriginRefusal(headers, port) ?? nonJsonWriteRefusal(method, headers);
}
