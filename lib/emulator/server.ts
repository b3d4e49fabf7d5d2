/**
 * `startEmulator`: a real `node:http` server on loopback speaking the Nucleus async-job protocol.
 *
 * @example
 * ```ts
 * import { startEmulator, DEMO_API_KEY } from 'nucleus-rx/emulator';
 * const emu = await startEmulator({ stepMs: 100 });
 * const auth = 'Basic ' + Buffer.from(`${DEMO_API_KEY}:`).toString('base64');
 * const res = await fetch(`${emu.url}/dataset/create`, {
 *   method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' },
 *   body: JSON.stringify({ name: 'demo' }),
 * });
 * console.log(await res.json()); // { dataset_id: 'ds_...', name: 'demo' }
 * await emu.close();
 * ```
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleApi } from './api.js';
import type { TimerHandle } from './clock.js';
import { CounterSet, createControl, type EmulatorControl, type FaultHolder } from './control.js';
import { controlRequestRefusal, foreignOriginRefusal } from './control-guard.js';
import { JobEngine, type ForcedJobState } from './engine.js';
import { FaultInjector, type FaultDecision } from './faults.js';
import { corsHeaders, errorReply, field, jsonReply, parseJsonObject, PREFLIGHT_HEADERS, readBody, type Reply } from './http.js';
import { resolveOptions, type EmulatorOptions } from './options.js';
import { API_PREFIX, CONTROL_PREFIX, matchApiRoute, UPLOAD_PREFIX, type ApiRoute } from './routes.js';
import { Store, tenantOf } from './store.js';

export interface EmulatorHandle {
  /** Base URL of the API, e.g. `http://127.0.0.1:43121/v1/nucleus` (no trailing slash). */
  readonly url: string;
  /** Origin of the server, e.g. `http://127.0.0.1:43121` (the control API is at `${origin}/__emulator`). */
  readonly origin: string;
  readonly port: number;
  readonly control: EmulatorControl;
  /** Stops the engine, closes every connection and the server. Idempotent. */
  close(): Promise<void>;
}

type Auth = { readonly tenant: string } | { readonly reply: Reply };

const PROXY_HTML = (status: number, text: string): string =>
  `<html><head><title>${status} ${text}</title></head><body><center><h1>${status} ${text}</h1></center></body></html>\n`;

function faultReply(f: FaultDecision, now: number): Reply | undefined {
  switch (f.kind) {
    case 'http429': {
      const retryAfter = f.retryAfterHttpDate ? new Date(now + f.retryAfterSeconds * 1000).toUTCString() : String(Math.round(f.retryAfterSeconds));
      return errorReply(429, 'Too many requests: slow down.', { 'retry-after': retryAfter });
    }
    case 'http500':
      return errorReply(500, 'Internal server error.');
    case 'http503':
      return errorReply(503, 'Service temporarily unavailable.');
    case 'http502':
      return { status: 502, headers: { 'content-type': 'text/html' }, body: PROXY_HTML(502, 'Bad Gateway') };
    case 'http504':
      return { status: 504, headers: { 'content-type': 'text/html' }, body: PROXY_HTML(504, 'Gateway Time-out') };
    default:
      return undefined;
  }
}

/** Whether a `Host` header names this machine: `localhost` (or `*.localhost`), `127.x.y.z` or `[::1]`, any port. */
function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined) return true; // HTTP/1.0 clients may send none
  return /^(localhost|[a-z0-9-]+\.localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])(:\d{1,5})?$/i.test(host.trim());
}

function splitSegments(rest: string): string[] | undefined {
  const segs = rest.split('/');
  if (segs.length > 1 && segs[segs.length - 1] === '') segs.pop();
  try {
    return segs.map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}

/** Starts an emulator. Resolves once it listens; rejects if it cannot (port in use, bad options). */
export async function startEmulator(options?: EmulatorOptions): Promise<EmulatorHandle> {
  const opts = resolveOptions(options);
  const clock = opts.clock;
  const store = new Store();
  const engine = new JobEngine(clock, opts, store);
  const counters = new CounterSet();
  const faults: FaultHolder = { injector: opts.faults ? new FaultInjector(opts.faults) : undefined };
  const control = createControl(engine, counters, faults);
  // Keys map to tenants; the keys themselves never leave this closure.
  const basicKeys = new Map(opts.apiKeys.map((k) => [k, tenantOf('basic', k)] as const));
  const limitedKeys = new Map(opts.limitedAccessKeys.map((k) => [k, tenantOf('limited', k)] as const));
  const delays = new Map<TimerHandle, () => void>();
  const loopbackOnly = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/i.test(opts.host);
  let requestSeq = 0;
  let closed = false;
  let origin = '';
  let listenPort = 0;

  const authenticate = (req: IncomingMessage): Auth => {
    const auth = req.headers.authorization;
    const limited = req.headers['x-limited-access-key'];
    if (auth !== undefined && limited !== undefined) {
      return { reply: errorReply(400, 'Send either HTTP Basic auth or an x-limited-access-key header, not both.') };
    }
    if (limited !== undefined) {
      const tenant = typeof limited === 'string' ? limitedKeys.get(limited.trim()) : undefined;
      return tenant ? { tenant } : { reply: errorReply(401, 'Invalid limited access key.') };
    }
    if (auth === undefined) {
      return { reply: errorReply(401, 'Authentication required: HTTP Basic auth with your API key as user name and an empty password.') };
    }
    const m = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(auth);
    if (!m) return { reply: errorReply(401, 'Unsupported authorization: use HTTP Basic auth with your API key as user name.') };
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = colon === -1 ? decoded : decoded.slice(0, colon);
    const tenant = basicKeys.get(user);
    return tenant ? { tenant } : { reply: errorReply(401, 'Invalid API key.') };
  };

  const delay = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const h = clock.setTimeout(() => {
        delays.delete(h);
        resolve();
      }, ms);
      delays.set(h, resolve);
    });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = `req_${(++requestSeq).toString(36)}`;
    let cors = corsHeaders(typeof req.headers.origin === 'string' ? req.headers.origin : undefined, opts.corsOrigins);

    const started = clock.now();
    let routeName = 'unmatched';
    let injected: FaultDecision | undefined;
    const log = (status: number | 'reset'): void => {
      if (!opts.onRequest) return;
      try {
        opts.onRequest({ requestId, method: (req.method ?? '').slice(0, 16), route: routeName, status, fault: injected?.kind, ms: clock.now() - started });
      } catch {
        // A throwing listener must not break the server.
      }
    };

    const send = (reply: Reply, post?: FaultDecision): void => {
      if (res.headersSent || res.destroyed || req.socket.destroyed) return;
      log(post?.kind === 'nonJson' ? 200 : reply.status);
      let { status, body } = reply;
      let headers: Record<string, string> = { ...reply.headers };
      if (post?.kind === 'nonJson') {
        status = 200;
        headers = { 'content-type': 'text/html; charset=utf-8' };
        body = '<!DOCTYPE html><html><body><h1>Service update in progress</h1></body></html>\n';
      }
      const bytes = Buffer.from(body, 'utf8');
      counters.bump(counters.responses, String(status));
      // A truncated answer promises its whole body (at least a few bytes), sends half, then cuts the connection.
      const length = post?.kind === 'truncate' ? Math.max(2, bytes.length) : bytes.length;
      res.writeHead(status, { ...headers, ...cors, 'x-request-id': requestId, 'content-length': String(length) });
      if (post?.kind === 'truncate') {
        res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.destroy());
        return;
      }
      res.end(bytes);
    };

    // Bound to loopback, answer only requests addressed to a loopback name: a page on another site
    // cannot reach the emulator through DNS rebinding.
    if (loopbackOnly && !isLoopbackHost(req.headers.host)) {
      counters.bump(counters.requests, 'unmatched');
      return send(errorReply(403, 'Host not allowed: address the emulator as localhost, 127.0.0.1 or [::1].'));
    }

    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://emulator.invalid');
    } catch {
      counters.bump(counters.requests, 'unmatched');
      return send(errorReply(400, 'Malformed request URL.'));
    }
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const isControl = path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`);
    // The control API grants CORS to no origin (whatever corsOrigins says): a page can neither read it nor preflight a write.
    if (isControl) cors = {};

    if (method === 'OPTIONS') {
      counters.bump(counters.requests, 'preflight');
      routeName = 'preflight';
      if (isControl) return send(foreignOriginRefusal(req.headers, listenPort) ?? { status: 204, headers: {}, body: '' });
      const headers = Object.keys(cors).length > 0 ? PREFLIGHT_HEADERS : {};
      return send({ status: 204, headers, body: '' });
    }

    if (isControl) {
      counters.bump(counters.requests, 'control');
      routeName = 'control';
      if (!opts.httpControl) return send(errorReply(404, 'Not found.'));
      const refusal = controlRequestRefusal(method, req.headers, listenPort);
      if (refusal) return send(refusal);
      return send(await handleControl(req, method, path.slice(CONTROL_PREFIX.length)));
    }

    let route: ApiRoute;
    let params: readonly string[] = [];
    let allowed: readonly string[];
    if (path.startsWith(`${UPLOAD_PREFIX}/`)) {
      route = 'upload.put';
      allowed = ['PUT'];
      params = [path.slice(UPLOAD_PREFIX.length + 1)];
    } else {
      const segs = path.startsWith(`${API_PREFIX}/`) ? splitSegments(path.slice(API_PREFIX.length + 1)) : undefined;
      const match = segs && matchApiRoute(segs);
      if (!match) {
        counters.bump(counters.requests, 'unmatched');
        if (segs === undefined && path.startsWith(`${API_PREFIX}/`)) return send(errorReply(400, 'Malformed path (bad percent-encoding).'));
        return send(errorReply(404, `No route ${method.slice(0, 16)} ${path.slice(0, 100).replace(/[^\x20-\x7e]/g, '?')}.`));
      }
      route = match.name;
      params = match.params;
      allowed = match.methods;
    }
    counters.bump(counters.requests, route);
    routeName = route;
    if (!allowed.includes(method)) return send(errorReply(405, `Method ${method.slice(0, 16)} not allowed here; use ${allowed.join(', ')}.`, { allow: allowed.join(', ') }));

    const fault = faults.injector?.decide(route);
    if (fault) {
      counters.bump(counters.faults, fault.kind);
      injected = fault;
      if (fault.kind === 'reset') {
        log('reset');
        req.socket.destroy();
        return;
      }
      const early = faultReply(fault, clock.now());
      if (early) return send(early);
      if (fault.kind === 'delay') {
        await delay(fault.delayMs);
        if (closed) return;
      }
    }

    if (route === 'upload.put') {
      const token = params[0]!;
      const slot = store.uploadByToken(token);
      if (!slot) return send(errorReply(404, 'Unknown or expired signed URL.'));
      const body = await readBody(req, opts.maxUploadBytes);
      if (!body.ok) return send(errorReply(413, `Upload larger than ${opts.maxUploadBytes} bytes.`, { connection: 'close' }));
      const stored = store.pendingBytes - (slot.body?.length ?? 0) + engine.heldBytes + body.body.length;
      if (stored > opts.maxStoredBytes) {
        return send(errorReply(507, `The emulator holds too many uploads (limit ${opts.maxStoredBytes} bytes): start or finish jobs first.`));
      }
      store.setUploadBody(slot, body.body);
      // Like S3: an empty 200 with the body's MD5 as ETag.
      return send({ status: 200, headers: { etag: `"${createHash('md5').update(body.body).digest('hex')}"` }, body: '' }, fault);
    }

    const auth = authenticate(req);
    if ('reply' in auth) return send(auth.reply);
    let json: Record<string, unknown> = {};
    if (method === 'POST') {
      const body = await readBody(req, opts.maxBodyBytes);
      if (!body.ok) return send(errorReply(413, `Request body larger than ${opts.maxBodyBytes} bytes.`, { connection: 'close' }));
      const parsed = parseJsonObject(body.body);
      if (!parsed.ok) return send(errorReply(400, parsed.error));
      json = parsed.value;
    }
    return send(handleApi({ store, engine, clock, origin }, { route, params, tenant: auth.tenant, query: url.searchParams, body: json }), fault);
  }

  async function handleControl(req: IncomingMessage, method: string, rest: string): Promise<Reply> {
    const segs = splitSegments(rest.replace(/^\//, '')) ?? [];
    const readJson = async (): Promise<{ value: Record<string, unknown> } | { reply: Reply }> => {
      const body = await readBody(req, opts.maxBodyBytes);
      if (!body.ok) return { reply: errorReply(413, `Request body larger than ${opts.maxBodyBytes} bytes.`, { connection: 'close' }) };
      const parsed = parseJsonObject(body.body);
      return parsed.ok ? { value: parsed.value } : { reply: errorReply(400, parsed.error) };
    };
    const only = (m: string, run: () => Reply | Promise<Reply>): Reply | Promise<Reply> =>
      method === m ? run() : errorReply(405, `Method not allowed here; use ${m}.`, { allow: m });
    const guard = (run: () => Reply): Reply => {
      try {
        return run();
      } catch (e) {
        return errorReply(e instanceof RangeError && /unknown job/.test(e.message) ? 404 : 400, e instanceof Error ? e.message : 'Bad request.');
      }
    };
    const [a, b, c, ...more] = segs;
    if (more.length > 0) return errorReply(404, 'No such control route.');
    if (a === 'health' && b === undefined) return only('GET', () => jsonReply(200, { ok: true, paused: control.paused }));
    if (a === 'counters' && b === undefined) return only('GET', () => jsonReply(200, control.counters()));
    if (a === 'counters' && b === 'reset' && c === undefined) return only('POST', () => (control.resetCounters(), jsonReply(200, control.counters())));
    if (a === 'pause' && b === undefined) return only('POST', () => (control.pause(), jsonReply(200, { paused: true })));
    if (a === 'resume' && b === undefined) return only('POST', () => (control.resume(), jsonReply(200, { paused: false })));
    if (a === 'jobs' && b === undefined) return only('GET', () => jsonReply(200, control.jobStates()));
    if (a === 'jobs' && b !== undefined && c === undefined) {
      return only('GET', () => {
        const s = control.jobState(b);
        return s ? jsonReply(200, s) : errorReply(404, 'Unknown job id.');
      });
    }
    if (a === 'jobs' && b !== undefined && c === 'cancel') return only('POST', () => guard(() => jsonReply(200, control.cancelJob(b))));
    if (a === 'jobs' && b !== undefined && c === 'state') {
      return only('POST', async () => {
        const body = await readJson();
        if ('reply' in body) return body.reply;
        const v = body.value;
        const forced: ForcedJobState = {
          status: field(v, 'status') as string,
          ...(field(v, 'message') !== undefined ? { message: field(v, 'message') as string } : {}),
          ...(field(v, 'jobProgress') !== undefined ? { jobProgress: String(field(v, 'jobProgress')) } : {}),
          ...(typeof field(v, 'completedSteps') === 'number' ? { completedSteps: field(v, 'completedSteps') as number } : {}),
          ...(typeof field(v, 'totalSteps') === 'number' ? { totalSteps: field(v, 'totalSteps') as number } : {}),
          ...(typeof field(v, 'pin') === 'boolean' ? { pin: field(v, 'pin') as boolean } : {}),
        };
        return guard(() => jsonReply(200, control.forceJobState(b, forced)));
      });
    }
    if (a === 'faults' && b === undefined) {
      if (method === 'GET') return jsonReply(200, { faults: control.faults() ?? null });
      if (method === 'DELETE') return (control.setFaults(undefined), jsonReply(200, { faults: null }));
      if (method === 'PUT') {
        const body = await readJson();
        if ('reply' in body) return body.reply;
        return guard(() => (control.setFaults(body.value), jsonReply(200, { faults: control.faults() ?? null })));
      }
      return errorReply(405, 'Method not allowed here; use GET, PUT or DELETE.', { allow: 'GET, PUT, DELETE' });
    }
    return errorReply(404, 'No such control route.');
  }

  // Node checks request deadlines on a timer: check often enough for short test timeouts to bite.
  const server = createServer({
    requestTimeout: opts.requestTimeoutMs,
    headersTimeout: opts.requestTimeoutMs,
    connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.floor(opts.requestTimeoutMs / 4))),
  }, (req, res) => {
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    handle(req, res).catch(() => {
      // Never crash: whatever escaped becomes a 500, or a closed connection if headers already left.
      try {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
          res.end(JSON.stringify({ error: 'Internal emulator error.' }));
        } else {
          res.destroy();
        }
      } catch {
        res.destroy();
      }
    });
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (socket.writable && !socket.destroyed) {
      const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
      const body = tooLarge ? '{"error":"Request headers too large."}' : '{"error":"Malformed HTTP request."}';
      const status = tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request';
      counters.bump(counters.responses, status.slice(0, 3));
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    } else {
      socket.destroy();
    }
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (e: Error): void => reject(e);
    server.once('error', onError);
    server.listen(opts.port, opts.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', () => undefined);

  const port = (server.address() as AddressInfo).port;
  listenPort = port;
  const host = opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  origin = `http://${host}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url: `${origin}${API_PREFIX}`,
    origin,
    port,
    control,
    close() {
      closing ??= new Promise<void>((resolve) => {
        closed = true;
        engine.dispose();
        for (const [h, release] of delays) {
          clock.clearTimeout(h);
          release();
        }
        delays.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
