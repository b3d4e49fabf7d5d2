/** Options of {@link startEmulator} and their defaults. */
import { scaledClock, systemClock, type EmulatorClock } from './clock.js';
import type { WireQuirks } from './engine.js';
import { validateFaultConfig, type FaultConfig, type FaultKind } from './faults.js';

/**
 * The emulator's well-known demo API key: a public, documented constant, not a secret. It only ever
 * opens the local emulator. Pass `apiKeys` to use your own keys instead.
 */
export const DEMO_API_KEY = 'nucleus-rx-demo-key';

export interface EmulatorOptions {
  /** TCP port; 0 (default) picks a free one. */
  readonly port?: number;
  /** Interface to listen on (default `127.0.0.1`). Anything but loopback exposes fake data to the network. */
  readonly host?: string;
  /** Keys accepted as HTTP Basic user name (default: `[DEMO_API_KEY]`). Each key is its own tenant. */
  readonly apiKeys?: readonly string[];
  /** Keys accepted in the `x-limited-access-key` header (default: none). Each key is its own tenant. */
  readonly limitedAccessKeys?: readonly string[];
  /** Where time comes from (default: the real clock). See `createManualClock`. */
  readonly clock?: EmulatorClock;
  /** Divides every engine delay (and `delay` fault) by this factor (default 1). */
  readonly speed?: number;
  /** Lines a job processes per step (default 100). */
  readonly linesPerStep?: number;
  /** Time per step, ms (default 500). */
  readonly stepMs?: number;
  /** Time a job stays `Queued` before `Running`, ms (default 500). */
  readonly queueMs?: number;
  /** Largest JSON request body, bytes (default 1 MiB): larger answers 413. */
  readonly maxBodyBytes?: number;
  /** Largest NDJSON upload (PUT of a signed URL), bytes (default 64 MiB): larger answers 413. */
  readonly maxUploadBytes?: number;
  /** Upload bytes held at once, PUT but not yet processed (default 512 MiB): a PUT past it answers 507. */
  readonly maxStoredBytes?: number;
  /**
   * Longest time a client may take to send a whole request (headers and body), ms (default 30000).
   * Slower ones (slow-loris style) get a 408 and are disconnected, so they cannot hold sockets forever.
   */
  readonly requestTimeoutMs?: number;
  /** Fault injection (default: none). Can be changed at run time through the control API. */
  readonly faults?: FaultConfig;
  /** Wire variations of `GET job/{id}` (default: none): `"total_steps:"`, numbers as numbers. */
  readonly quirks?: WireQuirks;
  /** Origins allowed by CORS on the API routes: a list, `'*'`, or by default any `http://localhost:*` / `127.0.0.1` / `[::1]` page. Never on the control API. */
  readonly corsOrigins?: readonly string[] | '*';
  /** Serve the control API over HTTP under `/__emulator/` (default true); web pages of other origins are refused (see control-guard.ts). */
  readonly httpControl?: boolean;
  /** Called once per answered (or reset) request: for logs. Never sees headers, bodies or keys. */
  readonly onRequest?: (event: RequestEvent) => void;
}

/** One request, as {@link EmulatorOptions.onRequest} sees it. */
export interface RequestEvent {
  readonly requestId: string;
  readonly method: string;
  /** Route name (`job.status`, ...), `preflight`, `control` or `unmatched`. */
  readonly route: string;
  /** HTTP status sent, or `'reset'` for an injected connection reset. */
  readonly status: number | 'reset';
  /** The fault injected into this request, if any. */
  readonly fault: FaultKind | undefined;
  /** Time taken, on the emulator's clock. */
  readonly ms: number;
}

export interface ResolvedOptions {
  readonly port: number;
  readonly host: string;
  readonly apiKeys: readonly string[];
  readonly limitedAccessKeys: readonly string[];
  readonly clock: EmulatorClock;
  readonly linesPerStep: number;
  readonly stepMs: number;
  readonly queueMs: number;
  readonly maxBodyBytes: number;
  readonly maxUploadBytes: number;
  readonly maxStoredBytes: number;
  readonly requestTimeoutMs: number;
  readonly faults: FaultConfig | undefined;
  readonly quirks: WireQuirks | undefined;
  readonly corsOrigins: readonly string[] | '*' | undefined;
  readonly httpControl: boolean;
  readonly onRequest: ((event: RequestEvent) => void) | undefined;
}

function check(name: string, v: number | undefined, dflt: number, min: number, integer: boolean): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || (integer && !Number.isInteger(v))) {
    throw new RangeError(`${name} must be ${integer ? 'an integer' : 'a number'} >= ${min}`);
  }
  return v;
}

function checkPort(port: number | undefined): number {
  const p = check('port', port, 0, 0, true);
  if (p > 65535) throw new RangeError('port must be an integer from 0 to 65535');
  return p;
}

function checkKeys(name: string, keys: readonly string[] | undefined, dflt: readonly string[]): readonly string[] {
  if (keys === undefined) return dflt;
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string' && k.length > 0 && !k.includes(':') && !/[\s\0-\x1f]/.test(k))) {
    // Never echo the keys themselves.
    throw new RangeError(`${name} must be a list of non-empty strings without ':', spaces or control characters`);
  }
  return [...keys];
}

export function resolveOptions(o: EmulatorOptions = {}): ResolvedOptions {
  const speed = check('speed', o.speed, 1, Number.MIN_VALUE, false);
  if (o.faults !== undefined) validateFaultConfig(o.faults);
  return {
    port: checkPort(o.port),
    host: o.host ?? '127.0.0.1',
    apiKeys: checkKeys('apiKeys', o.apiKeys, [DEMO_API_KEY]),
    limitedAccessKeys: checkKeys('limitedAccessKeys', o.limitedAccessKeys, []),
    clock: scaledClock(speed, o.clock ?? systemClock),
    linesPerStep: check('linesPerStep', o.linesPerStep, 100, 1, true),
    stepMs: check('stepMs', o.stepMs, 500, 0, false),
    queueMs: check('queueMs', o.queueMs, 500, 0, false),
    maxBodyBytes: check('maxBodyBytes', o.maxBodyBytes, 1024 * 1024, 1, true),
    maxUploadBytes: check('maxUploadBytes', o.maxUploadBytes, 64 * 1024 * 1024, 1, true),
    maxStoredBytes: check('maxStoredBytes', o.maxStoredBytes, 512 * 1024 * 1024, 1, true),
    requestTimeoutMs: check('requestTimeoutMs', o.requestTimeoutMs, 30_000, 1, true),
    faults: o.faults,
    quirks: o.quirks,
    corsOrigins: o.corsOrigins,
    httpControl: o.httpControl ?? true,
    onRequest: o.onRequest,
  };
}
